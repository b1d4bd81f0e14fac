/**
 * The indexer's bulk statements, built with Kysely once per shape and reused: a backfill writes and looks up
 * rows by the hundred thousand, and building and compiling a query tree per chunk cost more than running it.
 *
 * - SQLite: multi-row `INSERT … ON CONFLICT DO UPDATE` of a fixed number of rows (a full chunk, then powers of two
 *   for the tail), so the few shapes stay prepared (db/statementCache.ts).
 * - PostgreSQL: one `INSERT … SELECT * FROM unnest($1::bigint[], $2::text[], …) ON CONFLICT …` per chunk: one
 *   array parameter a column whatever the number of rows, so the server parses a short statement.
 * - Lookups by key: `k1 = ? AND … AND kn IN (…)` grouped by all key columns but the last, the IN list padded to
 *   one of a few lengths with its own last value (a repeated value changes nothing).
 */
import { type CompiledQuery, type Kysely, sql } from 'kysely'
import { type ColumnKind, TABLE_COLUMNS } from '../db/migrations.ts'
import type { Dialect } from '../db/open.ts'

type AnyRow = Record<string, unknown>
// biome-ignore lint/suspicious/noExplicitAny: tables are chosen at run time
type AnyDb = Kysely<any>

/** SQLite takes 32,766 parameters a statement: a full chunk binds at most this many. */
const SQLITE_PARAMS = 8_000
/** Rows per PostgreSQL statement (bounds one message to a few megabytes). */
const PG_ROWS = 5_000
const IN_SIZES = [1, 8, 64, 512] as const

/** Compiled statements by dialect and shape (the SQL differs between dialects: every key starts with one). */
const compiled = new Map<string, CompiledQuery>()
const shape = (key: string, build: () => CompiledQuery): CompiledQuery => {
  let q = compiled.get(key)
  if (!q) {
    q = build()
    compiled.set(key, q)
  }
  return q
}

const columnsOf = (table: string): [string, ColumnKind][] => {
  const cols = TABLE_COLUMNS[table]
  if (!cols) throw new Error(`no table ${table}`)
  return Object.entries(cols)
}

/** A value as both drivers bind it: bigints (amounts) as decimal text, undefined as null. */
const bindable = (v: unknown): unknown => (typeof v === 'bigint' ? v.toString() : v === undefined ? null : v)

const pgType = (kind: ColumnKind) =>
  kind.startsWith('int') ? 'bigint' : kind.startsWith('amount') ? 'numeric' : 'text'

function conflictSql(pk: readonly string[], rest: string[]) {
  if (pk.length === 0) return sql``
  const target = sql.join(pk.map((c) => sql.ref(c)))
  return rest.length === 0
    ? sql`on conflict (${target}) do nothing`
    : sql`on conflict (${target}) do update set ${sql.join(rest.map((c) => sql`${sql.ref(c)} = excluded.${sql.ref(c)}`))}`
}

/**
 * Inserts `rows` (every column of the table), updating the row of the same primary key when there is one; with
 * no `pk`, a plain insert (a duplicate key fails the transaction).
 */
export async function upsertRows(
  db: AnyDb,
  dialect: Dialect,
  table: string,
  pk: readonly string[],
  rows: readonly AnyRow[],
): Promise<number> {
  if (rows.length === 0) return 0
  const cols = columnsOf(table)
  const names = cols.map(([c]) => c)
  const rest = names.filter((c) => !pk.includes(c))
  if (dialect === 'postgres') {
    const q = shape(`postgres|${table}|${pk}`, () =>
      sql`insert into ${sql.table(table)} (${sql.join(names.map((c) => sql.ref(c)))}) select * from unnest(${sql.join(
        cols.map(([, kind]) => sql`${[]}::${sql.raw(pgType(kind))}[]`),
      )}) ${conflictSql(pk, rest)}`.compile(db),
    )
    for (let i = 0; i < rows.length; i += PG_ROWS) {
      const part = rows.slice(i, i + PG_ROWS)
      const arrays = names.map((c) => part.map((r) => bindable(r[c])))
      await db.executeQuery({ ...q, parameters: arrays })
    }
    return rows.length
  }
  const full = Math.max(1, Math.floor(SQLITE_PARAMS / names.length))
  let i = 0
  while (i < rows.length) {
    const left = rows.length - i
    // a full chunk, then the largest power of two that fits: few shapes, each prepared once
    const n = left >= full ? full : 2 ** Math.floor(Math.log2(left))
    const q = shape(`sqlite|${table}|${pk}|${n}`, () => {
      const insert = db
        .insertInto(table)
        .values(Array.from({ length: n }, () => Object.fromEntries(names.map((c) => [c, null]))))
      if (pk.length === 0) return insert.compile()
      return insert
        .onConflict((oc) =>
          rest.length === 0
            ? oc.columns(pk as string[]).doNothing()
            : oc
                .columns(pk as string[])
                .doUpdateSet((eb) => Object.fromEntries(rest.map((c) => [c, eb.ref(`excluded.${c}`)]))),
        )
        .compile()
    })
    const params: unknown[] = new Array(n * names.length)
    let p = 0
    for (let r = i; r < i + n; r++) {
      const row = rows[r]!
      for (const c of names) params[p++] = bindable(row[c])
    }
    await db.executeQuery({ ...q, parameters: params })
    i += n
  }
  return rows.length
}

/** Every row of `table` whose key (`keyCols`) is one of `keys`. */
export async function selectByKeys(
  db: AnyDb,
  dialect: Dialect,
  table: string,
  keyCols: readonly string[],
  keys: readonly AnyRow[],
): Promise<AnyRow[]> {
  const prefix = keyCols.slice(0, -1)
  const last = keyCols.at(-1)!
  const groups = new Map<string, { head: unknown[]; values: unknown[] }>()
  for (const k of keys) {
    const head = prefix.map((c) => k[c])
    const id = head.join('|')
    let g = groups.get(id)
    if (!g) {
      g = { head, values: [] }
      groups.set(id, g)
    }
    g.values.push(k[last])
  }
  const out: AnyRow[] = []
  const max = IN_SIZES.at(-1)!
  for (const { head, values } of groups.values()) {
    for (let i = 0; i < values.length; i += max) {
      const part = values.slice(i, i + max)
      const size = IN_SIZES.find((s) => s >= part.length)!
      while (part.length < size) part.push(part.at(-1))
      const q = shape(`${dialect}|select|${table}|${size}`, () => {
        let b = db.selectFrom(table).selectAll()
        for (const c of prefix) b = b.where(c, '=', null)
        return b
          .where(
            last,
            'in',
            Array.from({ length: size }, () => null),
          )
          .compile()
      })
      const result = await db.executeQuery<AnyRow>({ ...q, parameters: [...head, ...part] })
      for (const r of result.rows) out.push(r)
    }
  }
  return out
}
