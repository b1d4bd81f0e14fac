/** A one-line progress bar on stderr, drawn only when stderr is a terminal (never in pipes, CI or tests). */
export function progressBar(label: string): ((done: number, total: number) => void) & { end(): void } {
  const tty = process.stderr.isTTY === true
  let last = -1
  const draw = (done: number, total: number) => {
    if (!tty) return
    const pct = Math.floor((done / Math.max(1, total)) * 100)
    if (pct === last) return
    last = pct
    const width = 30
    const filled = Math.round((pct / 100) * width)
    process.stderr.write(`\r${label} [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${pct}%`)
  }
  return Object.assign(draw, {
    end() {
      if (tty && last >= 0) process.stderr.write('\n')
    },
  })
}
