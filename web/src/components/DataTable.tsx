/**
 * The one table markup every page uses: columns as (heading, cell) pairs, a key per row, and — for lists read
 * from the API — the loading, empty and error states around it (AsyncTable).
 */
import type { ComponentChildren } from 'preact'
import { Async, Empty } from './States.tsx'

export type Column<T> = { head: string; cell: (row: T) => ComponentChildren }

export function DataTable<T>({
  rows,
  columns,
  rowKey,
  testid,
}: {
  rows: readonly T[]
  columns: Column<T>[]
  rowKey: (row: T) => string | number
  testid?: string
}) {
  return (
    <table class="table" data-testid={testid}>
      <thead>
        <tr>
          {columns.map((c) => (
            <th key={c.head}>{c.head}</th>
          ))}
        </tr>
      </thead>
      <tbody>
        {rows.map((r) => (
          <tr key={rowKey(r)}>
            {columns.map((c) => (
              <td key={c.head}>{c.cell(r)}</td>
            ))}
          </tr>
        ))}
      </tbody>
    </table>
  )
}

/** A list resource as a table: loading, then the rows or `empty` (what would fill it), or the error. */
export function AsyncTable<T>({
  resource,
  what,
  empty,
  ...table
}: {
  resource: { data: { data: T[] } | undefined; error: Parameters<typeof Async>[0]['resource']['error'] }
  what: string
  empty: ComponentChildren
  columns: Column<T>[]
  rowKey: (row: T) => string | number
  testid?: string
}) {
  return (
    <Async resource={resource} what={what}>
      {({ data }) => (data.length === 0 ? <Empty>{empty}</Empty> : <DataTable rows={data} {...table} />)}
    </Async>
  )
}
