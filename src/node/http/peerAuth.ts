/**
 * Signed peer requests. The signature exchange answers with every signature a node holds, which is worth money
 * (whoever submits a quorum first takes the reporter share), so it answers only committee members: each request
 * carries an EIP-191 signature by a member's key over the method, the path, the receiver's address, a timestamp
 * and the keccak-256 of the body. The receiver checks the signature, that it is addressed to it (a request to
 * one node cannot be replayed to another), and that the timestamp is within a short window of its clock (a
 * captured request stops working soon); the caller then checks committee membership for the service concerned.
 */
import { type Address, type Hex, keccak256, type LocalAccount, recoverMessageAddress, toBytes } from 'viem'

export const PEER_HEADERS = {
  signer: 'x-surety-peer',
  time: 'x-surety-time',
  signature: 'x-surety-signature',
} as const

export type PeerRequest = { method: string; path: string; to: Address; timeMs: number; body: string }

export function peerRequestMessage(r: PeerRequest): string {
  return [
    'surety.node.v1 peer request',
    `${r.method.toUpperCase()} ${r.path}`,
    `to ${r.to.toLowerCase()}`,
    `at ${r.timeMs}`,
    `body ${keccak256(toBytes(r.body))}`,
  ].join('\n')
}

/** The headers that sign a request from `account` to the peer `to`. */
export async function signPeerRequest(
  account: LocalAccount,
  r: Omit<PeerRequest, 'timeMs'> & { timeMs?: number },
): Promise<Record<string, string>> {
  const timeMs = r.timeMs ?? Date.now()
  const signature = await account.signMessage({ message: peerRequestMessage({ ...r, timeMs }) })
  return {
    [PEER_HEADERS.signer]: account.address,
    [PEER_HEADERS.time]: String(timeMs),
    [PEER_HEADERS.signature]: signature,
  }
}

export type PeerAuth = { ok: true; signer: Address } | { ok: false; error: string }

/**
 * Who signed the request, if it is signed correctly, addressed to `self` and fresh (within `maxAgeMs` of `nowMs`
 * either way). Malformed headers are refused before any recovery.
 */
export async function verifyPeerRequest(
  headers: Record<string, string | string[] | undefined>,
  r: { method: string; path: string; self: Address; body: string; nowMs: number; maxAgeMs: number },
): Promise<PeerAuth> {
  const one = (name: string) => {
    const v = headers[name]
    return Array.isArray(v) ? undefined : v
  }
  const signer = one(PEER_HEADERS.signer)
  const time = one(PEER_HEADERS.time)
  const signature = one(PEER_HEADERS.signature)
  if (!signer || !time || !signature)
    return { ok: false, error: `unsigned request: ${Object.values(PEER_HEADERS).join(', ')} are required` }
  if (!/^0x[0-9a-fA-F]{40}$/.test(signer))
    return { ok: false, error: `${PEER_HEADERS.signer}: not an address` }
  if (!/^\d{1,16}$/.test(time))
    return { ok: false, error: `${PEER_HEADERS.time}: not a time in milliseconds` }
  if (!/^0x[0-9a-fA-F]{130}$/.test(signature))
    return { ok: false, error: `${PEER_HEADERS.signature}: not a 65-byte signature` }
  const timeMs = Number(time)
  if (Math.abs(r.nowMs - timeMs) > r.maxAgeMs)
    return { ok: false, error: `${PEER_HEADERS.time}: outside ${r.maxAgeMs} ms of this node's clock` }
  const message = peerRequestMessage({ method: r.method, path: r.path, to: r.self, timeMs, body: r.body })
  const recovered = await recoverMessageAddress({ message, signature: signature as Hex }).catch(
    () => undefined,
  )
  if (recovered?.toLowerCase() !== signer.toLowerCase())
    return { ok: false, error: 'the request signature does not match its signer, path, body or receiver' }
  return { ok: true, signer: signer.toLowerCase() as Address }
}
