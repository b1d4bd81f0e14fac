/** Plain-text tables: columns sized to their widest cell, so values never run together. */

export type Align = 'left' | 'right'

/** Renders rows under a header; `align` per column (numbers read best right-aligned). */
export function table(header: string[], rows: string[][], align: Align[] = []): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)))
  const line = (cells: string[]) =>
    cells
      .map((c, i) => (align[i] === 'right' ? c.padStart(widths[i]!) : c.padEnd(widths[i]!)))
      .join('  ')
      .trimEnd()
  return [line(header), ...rows.map(line)].join('\n')
}

/** "1 service", "2 services". */
export const plural = (n: number | bigint, one: string, many = `${one}s`) =>
  `${n} ${BigInt(n) === 1n ? one : many}`

/** Basis points as a percentage: 15000 → "150%", 250 → "2.5%". */
export const percent = (bps: number | bigint) => `${Number(bps) / 100}%`
