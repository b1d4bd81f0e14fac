/**
 * The exchanges' deadline where many services lie outside A (review riskzb): k cheap services attacked, m traps
 * outside that the covers' LP rates profitable alone and in pairs while no cover is (stakes 100 and 110 at
 * threshold 0.5: LP ≈ 105.2 for profit 108, exact 110). The moves are pairs × (k + 1), built and sorted with no
 * deadline check between: before PAIR_POOL, m = 100 and k = 300 answered 5.4 s for a 3 s deadline at 455 MB.
 * Run: npx tsx bench/swapDeadline.ts [m 100] [ms 3000] [k 300]
 */
import { parseRiskInput } from '../src/risk/input.ts'
import { swapByLeaf } from '../src/risk/largestSwap.ts'
import { loadHighs } from '../src/risk/mip.ts'
import { attackCost, isValidAttack } from '../src/risk/verify.ts'

async function main() {
  const highs = await loadHighs()
  const [m = 100, ms = 3000, k = 300] = process.argv.slice(2).map(Number)
  const operators: { id: string; stake: number }[] = []
  const services: { id: string; profit: number; threshold: number; operators: string[] }[] = []
  for (let i = 0; i < k; i++) {
    operators.push({ id: `c${i}`, stake: 5 })
    services.push({ id: `s${i}`, profit: 10, threshold: 1, operators: [`c${i}`] })
  }
  for (let i = 0; i < m; i++) {
    operators.push({ id: `a${i}`, stake: 100 }, { id: `b${i}`, stake: 110 })
    services.push({ id: `t${i}`, profit: 108, threshold: 0.5, operators: [`a${i}`, `b${i}`] })
  }
  const n = parseRiskInput({ operators, services })
  const start = {
    services: n.services.flatMap((s, i) => (s.id.startsWith('s') ? [i] : [])),
    operators: n.operators.flatMap((o, i) => (o.id.startsWith('c') ? [i] : [])),
  }
  if (!isValidAttack(n, start)) throw new Error('the start is not valid')
  const t = performance.now()
  const cpu = process.cpuUsage()
  const a = swapByLeaf(n, start, highs, t + ms)
  const used = process.cpuUsage(cpu)
  console.log(
    `m ${m} k ${k}: burns ${attackCost(n, a)}, answered after ${Math.round(performance.now() - t)} ms of ${ms}`,
    `(CPU ${((used.user + used.system) / 1e6).toFixed(2)} s, rss ${Math.round(process.memoryUsage().rss / 1e6)} MB)`,
  )
}
void main()
