/**
 * Slashes from the HTTP API in the shapes `readSlash` and `readOpenSlashes` give (src/cli/fromApi.ts for the
 * details): `slash list` and `slash show` print the same lines from either source, without the chain's log scans.
 */
import type { Hex } from 'viem'
import { collect } from '../../../sdk/api/index.ts'
import type { ApiSlash } from '../../../sdk/api/types.ts'
import type { SlashView } from '../../../sdk/readSlash.ts'
import { openSlashFromApi } from '../../fromApi.ts'
import { type ApiSource, unlessNotIndexed } from '../../lib/readSource.ts'

/** A slash as `readSlash` gives it: its details, and once executed what was taken and whom it paid. */
export function slashFromApi(s: ApiSlash): SlashView {
  const x = s.execution
  const big = (a: { base: string }) => BigInt(a.base)
  return {
    ...openSlashFromApi(s),
    ...(s.status === 'Executed' && x
      ? {
          execution: {
            fromBond: big(x.fromBond),
            fromPool: big(x.fromPool),
            toClient: big(x.toClient),
            toReporter: big(x.toReporter),
            toSink: big(x.toSink),
          },
        }
      : {}),
  }
}

const requestOrder = (a: ApiSlash, b: ApiSlash) =>
  a.createdBlock - b.createdBlock || a.report.requestedAt.unix - b.report.requestedAt.unix

/**
 * Every slash (`all`), or those not yet settled (Pending, Disputed, Upheld), in the order they were requested, as
 * the court's SlashRequested events list them.
 */
export async function slashesFromApi(source: ApiSource, all: boolean): Promise<SlashView[]> {
  const { api } = source
  const statuses = all ? [undefined] : (['Pending', 'Disputed', 'Upheld'] as const)
  const lists = await Promise.all(
    statuses.map((status) =>
      collect(api.slashes.all({ status, sort: 'requested', order: 'asc', limit: 500 })),
    ),
  )
  return lists
    .flat()
    .sort(requestOrder)
    .map((s) => (all ? slashFromApi(s) : openSlashFromApi(s)))
}

/** One slash from the API, or undefined when the index does not hold it (yet): the caller reads the chain. */
export async function slashFromApiById(source: ApiSource, id: Hex): Promise<SlashView | undefined> {
  const answer = await unlessNotIndexed(source.api.slashes.get(id))
  return answer && slashFromApi(answer.data)
}
