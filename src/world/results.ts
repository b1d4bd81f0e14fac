/**
 * What an operator serves as the result of a compute milestone, and what it commits on chain: the commitment is
 * always the hash of the right output; a sloppy operator now and then serves other bytes, which the attesters
 * find (wrong output). Decided by the seed and the order, so the endpoint process, the operator actor and a
 * restarted world agree.
 */
import { toBytes } from 'viem'
import type { Rng } from '../risk/rng.ts'
import type { WorldDesign } from './design.ts'

export const correctResult = (seed: number, orderId: bigint, milestone: number) =>
  toBytes(`world ${seed}: inference output of order ${orderId}, milestone ${milestone}`)

export function servesWrong(
  rng: (...labels: (number | bigint | string)[]) => Rng,
  design: WorldDesign,
  orderId: bigint,
  milestone: number,
  operator: number,
) {
  return rng('wrong', orderId, milestone).next() * 10_000 < design.operators[operator]!.wrongOutputBps
}

export function resultBytes(
  rng: (...labels: (number | bigint | string)[]) => Rng,
  design: WorldDesign,
  orderId: bigint,
  milestone: number,
  operator: number,
  seed: number,
) {
  return servesWrong(rng, design, orderId, milestone, operator)
    ? toBytes(`world ${seed}: a corrupted output of order ${orderId}, milestone ${milestone}`)
    : correctResult(seed, orderId, milestone)
}
