/**
 * Sorts the configured nodes' answers into the ones that count for a service and the others, with why: an answer
 * counts when it came from an attester of the service on the indexed chain.
 */
import type { Address } from 'viem'
import type { NodeAnswer } from './askNodes.ts'

export type NodeSourceJson = {
  url: string
  attester: Address | null
  status: 'ok' | 'unreachable' | 'error' | 'not-on-committee' | 'wrong-chain'
  error: string | null
}

export function committeeAnswers<T extends { address: string; chainId: number }>(
  answers: NodeAnswer<T>[],
  committee: ReadonlySet<string>,
  chainId: number,
): { counted: { attester: Address; body: T }[]; sources: NodeSourceJson[] } {
  const counted: { attester: Address; body: T }[] = []
  const sources = answers.map((a): NodeSourceJson => {
    if (!a.ok) return { url: a.url, attester: null, status: a.status, error: a.error }
    const attester = String(a.body.address).toLowerCase() as Address
    if (a.body.chainId !== chainId)
      return {
        url: a.url,
        attester,
        status: 'wrong-chain',
        error: `the node watches chain ${a.body.chainId}, this index chain ${chainId}`,
      }
    if (!committee.has(attester)) return { url: a.url, attester, status: 'not-on-committee', error: null }
    // one answer per attester: two URLs of one node must not count its readings twice
    if (counted.some((c) => c.attester === attester))
      return {
        url: a.url,
        attester,
        status: 'error',
        error: 'another configured URL answered as this attester',
      }
    counted.push({ attester, body: a.body })
    return { url: a.url, attester, status: 'ok', error: null }
  })
  return { counted, sources }
}
