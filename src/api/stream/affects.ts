/**
 * Which API resources an event changes, as the paths a client would refetch. The stream sends them with each
 * event and, summed up, with each head message: the "state changes" a dashboard listens for without knowing the
 * contracts' event names.
 */
const lower = (v: unknown) => (typeof v === 'string' ? v.toLowerCase() : undefined)

export function affects(contract: string, args: Record<string, unknown>, contractKind?: string): string[] {
  const out = new Set<string>()
  const serviceId = args.serviceId ?? (args.details as Record<string, unknown> | undefined)?.serviceId
  if (serviceId !== undefined && serviceId !== null) out.add(`/v1/services/${String(serviceId)}`)
  const vault = lower(args.vault) ?? lower((args.details as Record<string, unknown> | undefined)?.vault)
  if (vault) out.add(`/v1/vaults/${vault}`)
  if (contractKind === 'vault') out.add(`/v1/vaults/${contract.toLowerCase()}`)
  if (typeof args.slashId === 'string') out.add(`/v1/slashes/${args.slashId.toLowerCase()}`)
  if (args.orderId !== undefined && args.orderId !== null) out.add(`/v1/orders/${String(args.orderId)}`)
  if (typeof args.attester === 'string' && serviceId !== undefined)
    out.add(`/v1/services/${String(serviceId)}/attesters`)
  for (const k of ['owner', 'receiver', 'sender', 'from', 'to'] as const) {
    const a = lower(args[k])
    if (a && contractKind === 'vault' && a !== '0x0000000000000000000000000000000000000000')
      out.add(`/v1/stakers/${a}/positions`)
  }
  out.add('/v1/network')
  return [...out]
}
