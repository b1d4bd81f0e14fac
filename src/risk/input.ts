/**
 * Validates a risk input (JSON) at the edge and turns it into a `Network`. Every rejection names the field, e.g.
 * `services[2].threshold must be in (0, 1]`. Amounts are numbers or decimal strings and are parsed exactly.
 */
import { z } from 'zod'
import { InvalidInputError } from '../errors.ts'
import { type Decimal, decimalToRational, parseDecimal, toUnits } from './decimal.ts'
import type { Network, Service } from './network.ts'
import { cmp, ONE } from './rational.ts'

const amount = z.union([z.number(), z.string()])

export const riskInputSchema = z
  .object({
    operators: z.array(z.object({ id: z.string().min(1), stake: amount }).strict()),
    services: z.array(
      z
        .object({
          id: z.string().min(1),
          profit: amount,
          threshold: amount,
          operators: z.array(z.string().min(1)),
        })
        .strict(),
    ),
    allocations: z
      .array(z.object({ operator: z.string().min(1), service: z.string().min(1), stake: amount }).strict())
      .optional(),
  })
  .strict()

export type RiskInput = z.infer<typeof riskInputSchema>

function zodPath(path: (string | number)[]): string {
  return path.map((p, i) => (typeof p === 'number' ? `[${p}]` : i === 0 ? p : `.${p}`)).join('') || 'input'
}

export function parseRiskInput(raw: unknown): Network {
  const parsed = riskInputSchema.safeParse(raw)
  if (!parsed.success) {
    const issue = parsed.error.issues[0]
    throw new InvalidInputError(`${zodPath(issue?.path ?? [])}: ${issue?.message ?? 'invalid'}`)
  }
  const input = parsed.data

  // Parse every amount first, then put them all on the finest scale any of them needs.
  const opStake = input.operators.map((o, i) => parseDecimal(o.stake, `operators[${i}].stake`))
  const profits = input.services.map((s, i) => parseDecimal(s.profit, `services[${i}].profit`))
  const allocs = (input.allocations ?? []).map((a, i) => parseDecimal(a.stake, `allocations[${i}].stake`))
  const scale = Math.max(0, ...[...opStake, ...profits, ...allocs].map((d: Decimal) => d.scale))

  const opIndex = new Map<string, number>()
  input.operators.forEach((o, i) => {
    if (opIndex.has(o.id)) throw new InvalidInputError(`operators[${i}].id '${o.id}' is a duplicate`)
    opIndex.set(o.id, i)
  })
  const operators = input.operators.map((o, i) => ({
    id: o.id,
    stake: toUnits(opStake[i] as Decimal, scale),
  }))

  const svcIndex = new Map<string, number>()
  const services: Service[] = input.services.map((s, i) => {
    if (svcIndex.has(s.id)) throw new InvalidInputError(`services[${i}].id '${s.id}' is a duplicate`)
    svcIndex.set(s.id, i)
    const threshold = decimalToRational(parseDecimal(s.threshold, `services[${i}].threshold`))
    if (threshold.num === 0n || cmp(threshold, ONE) > 0) {
      throw new InvalidInputError(`services[${i}].threshold must be in (0, 1] (got ${s.threshold})`)
    }
    const members: number[] = []
    s.operators.forEach((id, k) => {
      const v = opIndex.get(id)
      if (v === undefined)
        throw new InvalidInputError(`services[${i}].operators[${k}]: unknown operator '${id}'`)
      if (members.includes(v))
        throw new InvalidInputError(`services[${i}].operators[${k}]: '${id}' is listed twice`)
      members.push(v)
    })
    // Without an allocation an operator secures the service with its whole stake (the paper's model).
    const memberStake = members.map((v) => operators[v]?.stake ?? 0n)
    return { id: s.id, profit: toUnits(profits[i] as Decimal, scale), threshold, members, memberStake }
  })

  const seen = new Set<string>()
  ;(input.allocations ?? []).forEach((a, i) => {
    const v = opIndex.get(a.operator)
    if (v === undefined)
      throw new InvalidInputError(`allocations[${i}].operator: unknown operator '${a.operator}'`)
    const si = svcIndex.get(a.service)
    if (si === undefined)
      throw new InvalidInputError(`allocations[${i}].service: unknown service '${a.service}'`)
    const key = `${v}/${si}`
    if (seen.has(key))
      throw new InvalidInputError(
        `allocations[${i}]: duplicate allocation of '${a.operator}' to '${a.service}'`,
      )
    seen.add(key)
    const svc = services[si] as Service
    const k = svc.members.indexOf(v)
    if (k < 0) {
      throw new InvalidInputError(`allocations[${i}]: '${a.operator}' is not in services[${si}].operators`)
    }
    const stake = toUnits(allocs[i] as Decimal, scale)
    const own = operators[v]?.stake ?? 0n
    if (stake > own)
      throw new InvalidInputError(`allocations[${i}].stake exceeds the stake of operator '${a.operator}'`)
    svc.memberStake[k] = stake
  })

  return {
    scale,
    operators,
    services,
    hasAllocations: input.allocations !== undefined && input.allocations.length > 0,
  }
}
