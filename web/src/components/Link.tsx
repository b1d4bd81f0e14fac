/** In-page links (pushState), and the links every page uses for the protocol's things. */
import type { ComponentChildren } from 'preact'
import { shortAddress } from '../lib/format.ts'
import { navigate } from '../lib/router.ts'

export function Link({
  href,
  children,
  class: cls,
}: {
  href: string
  children: ComponentChildren
  class?: string
}) {
  return (
    <a
      href={href}
      class={cls}
      onClick={(e) => {
        if (e.metaKey || e.ctrlKey || e.shiftKey || e.button !== 0) return
        e.preventDefault()
        navigate(href)
      }}
    >
      {children}
    </a>
  )
}

export const VaultLink = ({ address, name }: { address: string; name?: string | null }) => (
  <Link href={`/vaults/${address}`}>
    <span title={address}>{name ?? shortAddress(address)}</span>
  </Link>
)
export const ServiceLink = ({ id, name }: { id: string; name?: string | null }) => (
  <Link href={`/services/${id}`}>{name ?? `Service #${id}`}</Link>
)
export const OrderLink = ({ id }: { id: string }) => <Link href={`/orders/${id}`}>Order #{id}</Link>
export const SlashLink = ({ id }: { id: string }) => (
  <Link href={`/slashes/${id}`}>
    <span title={id}>Slash {shortAddress(id)}</span>
  </Link>
)
export const AddressText = ({ address }: { address: string }) => (
  <code class="address" title={address}>
    {shortAddress(address)}
  </code>
)
