/** In-page links (pushState), and the links every page uses for the protocol's things. */
import type { ComponentChildren } from 'preact'
import { shortAddress } from '../lib/format.ts'
import { classNameOf, serviceNameOf, useLabels } from '../lib/labels.ts'
import { navigate } from '../lib/router.ts'
import { useVaultName } from '../lib/vaultNames.ts'

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

/**
 * A vault by the name its operator gave its token, with the short address always beside it: the name is the
 * operator's own text and could imitate another's, the address cannot.
 */
export function VaultLink({ address }: { address: string }) {
  const name = useVaultName(address)
  return (
    <Link href={`/vaults/${address}`} class="vault-link">
      {name ? (
        <span title={address} data-vault-name={name}>
          {name} <span class="muted">{shortAddress(address)}</span>
        </span>
      ) : (
        <span title={address}>{shortAddress(address)}</span>
      )}
    </Link>
  )
}
export function ServiceLink({ id, name }: { id: string; name?: string | null }) {
  const label = serviceNameOf(useLabels(), id)
  return (
    <Link href={`/services/${id}`}>{name ?? (label ? `Service #${id} · ${label}` : `Service #${id}`)}</Link>
  )
}

/** A violation class: its number, and its name on that service when the deployment gives one. */
export function ClassLabel({ serviceId, classId }: { serviceId: string; classId: number }) {
  const name = classNameOf(useLabels(), serviceId, classId)
  return (
    <>
      #{classId}
      {name ? <span class="muted"> {name}</span> : null}
    </>
  )
}
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
