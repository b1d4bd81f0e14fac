/** The shell: header with the pages and the live status, then the page the path names. */
import type { ComponentChildren } from 'preact'
import { lazy, Suspense } from 'preact/compat'
import { Link } from './components/Link.tsx'
import { LiveStatus } from './components/LiveStatus.tsx'
import { Loading } from './components/States.tsx'
import { useRoute } from './lib/router.ts'
import { Overview } from './pages/overview/Overview.tsx'

// every page but the first is its own chunk: the overview paints before the rest is downloaded
const ServicePage = lazy(() => import('./pages/service/ServicePage.tsx'))
const VaultPage = lazy(() => import('./pages/vault/VaultPage.tsx'))
const PositionPage = lazy(() => import('./pages/position/PositionPage.tsx'))
const SlashesPage = lazy(() => import('./pages/slashes/SlashesPage.tsx'))
const SlashPage = lazy(() => import('./pages/slashes/SlashPage.tsx'))
const OrdersPage = lazy(() => import('./pages/order/OrdersPage.tsx'))
const OrderPage = lazy(() => import('./pages/order/OrderPage.tsx'))
const RiskPage = lazy(() => import('./pages/risk/RiskPage.tsx'))

const NAV: [string, string][] = [
  ['/', 'Overview'],
  ['/slashes', 'Slashes'],
  ['/orders', 'Orders'],
  ['/position', 'My position'],
  ['/risk', 'Risk'],
]

export function App() {
  const route = useRoute()
  const p = route.params
  let page: ComponentChildren
  switch (route.name) {
    case 'overview':
      page = <Overview />
      break
    case 'service':
      page = <ServicePage id={p.id!} />
      break
    case 'vault':
      page = <VaultPage address={p.address!.toLowerCase()} />
      break
    case 'position':
      page = <PositionPage address={p.address?.toLowerCase()} />
      break
    case 'slashes':
      page = <SlashesPage />
      break
    case 'slash':
      page = <SlashPage id={p.id!.toLowerCase()} />
      break
    case 'orders':
      page = <OrdersPage />
      break
    case 'order':
      page = <OrderPage id={p.id!} />
      break
    case 'risk':
      page = <RiskPage />
      break
    default:
      page = (
        <section class="card">
          <h1>No such page</h1>
          <p>
            Nothing lives at <code>{p.path}</code>. <Link href="/">Back to the overview</Link>.
          </p>
        </section>
      )
  }
  const section = `/${location.pathname.split('/')[1] ?? ''}`
  return (
    <>
      <header class="top">
        <Link href="/" class="brand">
          Surety
        </Link>
        <nav aria-label="pages">
          {NAV.map(([href, label]) => (
            <Link
              key={href}
              href={href}
              class={section === href || (href !== '/' && section.startsWith(href)) ? 'current' : ''}
            >
              {label}
            </Link>
          ))}
        </nav>
        <LiveStatus />
      </header>
      <main data-page={route.name}>
        <Suspense fallback={<Loading what="the page" />}>{page}</Suspense>
      </main>
    </>
  )
}
