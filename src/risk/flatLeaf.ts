/**
 * Better incumbents for the branch and bound over services (serviceBranch.ts) on insecure networks: the A of a
 * *flat* node — one whose prices attack every free service whole or not at all — covered exactly for a moment
 * (leafCover.ts), once per A.
 *
 * Why: on hard 1,000 × 100 seed 3 the top of the tree is flat from about its 200th node on (the prices attack the
 * same services whole, and fixing one changes nothing in one child), and a flat node's A is as good an attack as
 * there is: the first one, at node 216 of the search from the bench's verdict attack (net 3,129 tokens), nets 3,363
 * covered for 0.8 s, and later ones 3,377–3,397, where the search itself met better attacks only at its fully fixed
 * nodes, from node 600 on if at all (docs/risk.md, "Seed 3's optimality gap"). A higher incumbent prunes more and
 * narrows the reported gap.
 *
 * Nothing is pruned here. An attack comes back only after the exact check (isValidAttack), and a settled cover (every
 * coalition for A settled against the incumbent) is remembered so that the fully fixed node of the same A is not
 * solved again: leafCover's proof is exact, and the incumbent only rises.
 */
import type { LiveDeadline } from './deadline.ts'
import { deadlineNow } from './deadline.ts'
import { solveLeaf } from './leafCover.ts'
import type { BranchContext, BranchOptions, BranchState } from './serviceBranch.ts'
import { FREE, IN } from './shareCore.ts'
import { attackCost, attackProfit, isValidAttack, normalizeAttack } from './verify.ts'

/**
 * How long a flat node's A is covered: at load 8–10 the first LP with its c-MIR cuts takes 0.5–1 s at 1,000 × 100
 * (0.3 s found nothing on the plateau's A, 1 s 3,274 tokens, 3 s 3,351; `npx tsx bench/leafProbe.ts`).
 */
export const FLAT_LEAF_MS = 800
/** The most of the search's time since its first flat node the flat covers may have taken when one more starts. */
const FLAT_SHARE = 0.4
/** A free service counts as attacked whole (or not at all) when its prices' cut took it in more than this share (or less than 1 − it) of the evaluations. */
const FLAT_WHOLE = 0.9
/** Only from 2,500 operator–service pairs (attack.ts's large components), as the root's rounded attack. */
const FLAT_MIN_EDGES = 2500

/**
 * Covers the node's A (its forced services and the free ones its prices attack in at least half of their
 * evaluations, `inCover`) exactly, cut off at the incumbent, when the node is flat, an attack is known, A was not
 * tried yet and the covers so far took at most FLAT_SHARE of the search's time since its first flat node. 'better' when the incumbent rose.
 */
export function flatLeaf(
  ctx: BranchContext,
  state: BranchState,
  fixed: Uint8Array,
  inCover: Float64Array,
  opts: BranchOptions,
  deadline: LiveDeadline,
): 'not flat' | 'skipped' | 'worse' | 'better' {
  const { n, core } = ctx
  const ms = opts.flatLeafMs ?? FLAT_LEAF_MS
  // with no attack known the search is proving a network secure: a cover would find nothing, and costs the proof time
  if (!opts.highs || !(ms > 0) || state.value <= 0n || core.E < (opts.flatMinEdges ?? FLAT_MIN_EDGES))
    return 'skipped'
  // a fully fixed node's own exact solve follows at once, with all the time left (serviceBranch.ts): a cover first
  // would solve the same A twice, and, cut off after `ms`, throw its work away
  if (!fixed.includes(FREE)) return 'skipped'
  const A: number[] = []
  for (let s = 0; s < core.S; s++) {
    if (fixed[s] === IN) A.push(s)
    if (fixed[s] !== FREE) continue
    const y = inCover[s] as number
    if (y > 1 - FLAT_WHOLE && y < FLAT_WHOLE) return 'not flat'
    if (y >= 0.5) A.push(s)
  }
  const now = performance.now()
  if (Number.isNaN(state.flatSince)) state.flatSince = now
  if (A.length === 0 || state.flatMs > FLAT_SHARE * (now - state.flatSince)) return 'skipped'
  const key = A.join(',')
  if (state.flatTried.has(key)) return 'skipped'
  const own = now + ms
  const out = solveLeaf(n, A, state.value, opts.highs, () => Math.min(own, deadlineNow(deadline)))
  const spent = performance.now() - now
  state.flatMs += spent
  state.flatTried.set(key, out.complete)
  opts.flatTrace?.(A, state.value, out.value, out.complete, spent)
  if (!out.attack || !isValidAttack(n, out.attack)) return 'worse'
  const value = attackProfit(n, out.attack) - attackCost(n, out.attack)
  if (value <= state.value) return 'worse'
  state.attack = normalizeAttack(n, out.attack)
  state.value = value
  return 'better'
}
