/**
 * Rendered rows kept across blocks. An entity row's JSON is a pure function of the row, whether it is final, and
 * the server's constants (token decimals, the stake token); the row changes only with an event, which sets its
 * `block_number`. So (table, key, block_number, final) names one rendering for as long as the chain under it
 * stays: a list page at a new block re-renders only the rows that block changed, instead of all of them, and a
 * page costs a narrow query (key, sort columns, block) plus one fetch of the rows not rendered yet.
 *
 * The same key can name another row only after a reorg (a block replaced at the same number) or in a rebuilt
 * database: the cache belongs to one generation, the database's instance id and its reorg count, read in the
 * request's own snapshot. A snapshot of another generation neither reads nor fills it (a request that began
 * before a reorg may still be answered from before it, consistently with the block its response names).
 * Bounded by bytes; oldest out first.
 */
import type { SelectQueryBuilder } from 'kysely'
import type { Snapshot } from '../context.ts'
import { type ListRequest, listPage, type SortColumn } from './list.ts'

// biome-ignore lint/suspicious/noExplicitAny: a query over a table chosen at run time
type AnyQuery = SelectQueryBuilder<any, any, any>
type RawRow = Record<string, unknown>

/** JSON text spliced into a response as it is; the API's serializer writes it unchanged (see server.ts). */
export class PreserializedJson {
  constructor(readonly json: string) {}
}

/** What one response body is: JSON.stringify of everything but the pre-rendered rows, which are spliced in. */
export function listBody(block: unknown, items: string[], page: unknown): PreserializedJson {
  return new PreserializedJson(
    `{"block":${JSON.stringify(block)},"data":[${items.join(',')}],"page":${JSON.stringify(page)}}`,
  )
}

/** Which rendering a snapshot belongs to: see the top of this file. */
export type RowGeneration = { instance: string; reorgs: number; constants: string }

export type RowJsonCache = {
  get(generation: RowGeneration, key: string): string | undefined
  set(generation: RowGeneration, key: string, json: string): void
  readonly size: number
}

export function createRowJsonCache(maxBytes = 32 * 1024 * 1024): RowJsonCache {
  let current: RowGeneration = { instance: '', reorgs: -1, constants: '' }
  let entries = new Map<string, string>()
  let bytes = 0
  const same = (g: RowGeneration) =>
    g.instance === current.instance && g.reorgs === current.reorgs && g.constants === current.constants
  // A newer generation empties the cache; a snapshot older than the cache's (it began before a reorg the cache
  // has seen) neither reads nor fills it.
  const adopt = (g: RowGeneration) => {
    if (same(g)) return true
    if (g.instance === current.instance && g.constants === current.constants && g.reorgs < current.reorgs)
      return false
    current = g
    entries = new Map()
    bytes = 0
    return true
  }
  return {
    get(generation, key) {
      return same(generation) ? entries.get(key) : undefined
    },
    set(generation, key, json) {
      if (!adopt(generation) || entries.has(key)) return
      while (bytes + json.length > maxBytes && entries.size > 0) {
        const oldest = entries.keys().next().value as string
        bytes -= entries.get(oldest)!.length
        entries.delete(oldest)
      }
      entries.set(key, json)
      bytes += json.length
    },
    get size() {
      return entries.size
    },
  }
}

/** The generation of a snapshot: the database's instance and how many reorgs it has rolled back. */
export async function rowGeneration(snap: Snapshot, constants: string): Promise<RowGeneration> {
  const r = await snap.db
    .selectFrom('reorgs')
    .select((eb) => eb.fn.max('seq').as('seq'))
    .executeTakeFirst()
  return { instance: snap.state.instance ?? '', reorgs: Number(r?.seq ?? 0), constants }
}

export type RenderedPageSpec = {
  table: string
  /** The table's key: one column (rows are fetched back by it). */
  key: SortColumn
  /** selectFrom(table) with the request's filters and nothing selected. */
  query: AnyQuery
  sort: SortColumn[]
  request: ListRequest
  /** The row (as the database returns it, every column) to its JSON text. */
  render: (row: RawRow) => string
  /** What else the rendering depends on besides the row and its finality (token decimals, stake token). */
  constants: string
}

/**
 * One page of `table` rendered: the keyset page is found with a narrow query, rows already rendered at their
 * current block come from `cache`, and the rest are fetched in one query and rendered.
 */
export async function renderedPage(
  snap: Snapshot,
  dialect: 'sqlite' | 'postgres',
  cache: RowJsonCache,
  spec: RenderedPageSpec,
): Promise<{ items: string[]; next: string | null }> {
  const columns = [...new Set([spec.key.column, 'block_number', ...spec.sort.map((c) => c.column)])]
  const page = await listPage<RawRow>(
    dialect,
    spec.query.select(columns),
    spec.sort,
    [spec.key],
    spec.request,
  )
  const generation = await rowGeneration(snap, spec.constants)
  const finalNumber = snap.block.finalNumber
  const cacheKey = (row: RawRow) => {
    const block = Number(row.block_number)
    return `${spec.table}|${String(row[spec.key.column])}|${block}|${block <= finalNumber ? 1 : 0}`
  }
  const items: (string | undefined)[] = page.rows.map((row) => cache.get(generation, cacheKey(row)))
  const missing = page.rows.filter((_row, i) => items[i] === undefined)
  if (missing.length > 0) {
    const full = await snap.db
      .selectFrom(spec.table as never)
      .selectAll()
      .where(spec.key.column as never, 'in', missing.map((r) => r[spec.key.column]) as never)
      .execute()
    const byKey = new Map((full as RawRow[]).map((r) => [String(r[spec.key.column]), r]))
    page.rows.forEach((row, i) => {
      if (items[i] !== undefined) return
      const fullRow = byKey.get(String(row[spec.key.column]))!
      const json = spec.render(fullRow)
      // stored under the block the full row carries (the same snapshot, so the same as the narrow row's)
      cache.set(generation, cacheKey(fullRow), json)
      items[i] = json
    })
  }
  return { items: items as string[], next: page.next }
}
