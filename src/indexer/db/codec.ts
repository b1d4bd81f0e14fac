/**
 * Rows between the database and the code: Amount columns are strings in both stores and bigint everywhere else
 * (lossless both ways); the query layer hands out camelCase views with a `final` flag.
 */
import { AMOUNT_COLUMNS, type Database, type Row } from './schema.ts'

type AnyRow = Record<string, unknown>

const amountSets = Object.fromEntries(
  Object.entries(AMOUNT_COLUMNS).map(([table, columns]) => [table, new Set(columns)]),
) as Record<keyof Database, Set<string>>

/** A row as read from the database (amounts as strings) to its in-code form (amounts as bigint). */
export function decodeRow<T extends keyof Database>(table: T, raw: AnyRow): Row<T> {
  const amounts = amountSets[table]
  const out: AnyRow = {}
  for (const k in raw) {
    const v = raw[k]
    out[k] = amounts.has(k) && v !== null && v !== undefined ? BigInt(v as string) : v
  }
  return out as Row<T>
}

/** The inverse of decodeRow: bigint to decimal text, every other value as it is. */
export function encodeRow<T extends keyof Database>(table: T, row: Row<T>): AnyRow {
  const amounts = amountSets[table]
  const out: AnyRow = {}
  for (const k in row) {
    const v = (row as AnyRow)[k]
    out[k] = amounts.has(k) && typeof v === 'bigint' ? v.toString() : v
  }
  return out
}

type Camel<S extends string> = S extends `${infer H}_${infer T}` ? `${H}${Capitalize<Camel<T>>}` : S

/** A row as the query layer returns it: camelCase keys, amounts as bigint. */
export type View<T extends keyof Database> = { [K in keyof Row<T> as Camel<K & string>]: Row<T>[K] }

const camelCache = new Map<string, string>()
const camel = (k: string) => {
  let c = camelCache.get(k)
  if (c === undefined) {
    c = k.replace(/_([a-z])/g, (_m, ch: string) => ch.toUpperCase())
    camelCache.set(k, c)
  }
  return c
}

export function toView<T extends keyof Database>(table: T, raw: AnyRow): View<T> {
  const row = decodeRow(table, raw) as AnyRow
  const out: AnyRow = {}
  for (const k in row) out[camel(k)] = row[k]
  return out as View<T>
}

/** A uint256 time from an event as a column value: "never" sentinels beyond 2^53 are clamped. */
export const time = (v: bigint): number =>
  v > BigInt(Number.MAX_SAFE_INTEGER) ? Number.MAX_SAFE_INTEGER : Number(v)

/**
 * JSON with bigints as decimal strings (event arguments, queued changes): the same text as
 * `JSON.stringify(value, (k, v) => typeof v === 'bigint' ? v.toString() : v)`, written by hand because a replacer
 * made this a tenth of a backfill's apply time (every event's arguments are stored as JSON).
 */
export function jsonWithBigints(value: unknown): string {
  return value === undefined ? (undefined as unknown as string) : (json(value) ?? 'null')
}

/** One value as JSON, or undefined for what JSON.stringify leaves out (undefined, functions, symbols). */
function json(v: unknown): string | undefined {
  switch (typeof v) {
    case 'string':
      // hex (addresses, hashes) needs no escaping
      return HEX.test(v) ? `"${v}"` : JSON.stringify(v)
    case 'bigint':
      return `"${v}"`
    case 'number':
      return Number.isFinite(v) ? String(v) : 'null'
    case 'boolean':
      return v ? 'true' : 'false'
    case 'object': {
      if (v === null) return 'null'
      // toJSON (dates) and anything unusual: the built-in with the replacer
      if (typeof (v as { toJSON?: unknown }).toJSON === 'function') return slowJson(v)
      if (Array.isArray(v)) {
        let s = '['
        for (let i = 0; i < v.length; i++) s += `${i ? ',' : ''}${json(v[i]) ?? 'null'}`
        return `${s}]`
      }
      let s = '{'
      let first = true
      for (const k in v) {
        if (!Object.hasOwn(v, k)) continue
        const item = json((v as Record<string, unknown>)[k])
        if (item === undefined) continue
        s += `${first ? '' : ','}${keyJson(k)}${item}`
        first = false
      }
      return `${s}}`
    }
    default:
      return undefined
  }
}

const HEX = /^0x[0-9a-fA-F]*$/
/** `"key":` by key: argument names repeat on every event. */
const keyTexts = new Map<string, string>()
function keyJson(k: string): string {
  let t = keyTexts.get(k)
  if (t === undefined) {
    t = `${JSON.stringify(k)}:`
    if (keyTexts.size < 10_000) keyTexts.set(k, t)
  }
  return t
}

const slowJson = (value: unknown): string =>
  JSON.stringify(value, (_k, v) => (typeof v === 'bigint' ? v.toString() : v))
