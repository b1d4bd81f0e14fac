/**
 * A service spec file (YAML or JSON): the ServiceParams fields by their contract names, in units people use —
 * durations as 2h / 3d or seconds, *Bps fields as 60% or basis points, token amounts in token units (or base
 * units with the wei suffix) — plus violation classes and the founding attesters. Fields left out keep their
 * default (service create) or current value (service change). Every error names the field.
 */
import { readFileSync } from 'node:fs'
import type { Address } from 'viem'
import { parse as parseYaml } from 'yaml'
import { InvalidInputError } from '../../errors.ts'
import type { ServiceParams, ViolationClass } from '../../sdk/types.ts'
import { parseAddress } from './options.ts'
import { parseDuration } from './time.ts'
import { parseAmount, parseBps, type Token } from './units.ts'

type Kind = 'address' | 'duration' | 'bps' | 'amount' | 'zero'
const FIELDS: Record<keyof ServiceParams, Kind> = {
  resolver: 'address',
  disputeWindow: 'duration',
  resolutionDeadline: 'duration',
  quorumBps: 'bps',
  reporterShareBps: 'bps',
  sink: 'address',
  disputeBond: 'amount',
  correlationWindow: 'duration',
  correlationMultiplierBps: 'bps',
  incidentCapBps: 'bps',
  windowCapBps: 'bps',
  clientShareBps: 'bps',
  attesterPenaltyBps: 'bps',
  minAttesterBond: 'amount',
  minAllocationDelay: 'duration',
  orderFeeBps: 'bps',
  collateralFactorBps: 'bps',
  collateralFloorBps: 'bps',
  declaredValue: 'amount',
}

export type ServiceSpec = {
  params: Partial<ServiceParams>
  classes?: ViolationClass[]
  attesters?: Address[]
}

function readSpecFile(path: string): Record<string, unknown> {
  let text: string
  try {
    text = readFileSync(path, 'utf8')
  } catch {
    throw new InvalidInputError(`--spec: cannot read ${path}`)
  }
  let raw: unknown
  try {
    raw = parseYaml(text)
  } catch (error) {
    throw new InvalidInputError(
      `--spec: ${path} is neither YAML nor JSON (${(error as Error).message.split('\n')[0]})`,
    )
  }
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw))
    throw new InvalidInputError(`--spec: ${path} must hold an object of service fields (see docs/cli.md)`)
  return raw as Record<string, unknown>
}

export function parseServiceSpec(path: string, token: Token): ServiceSpec {
  const raw = readSpecFile(path)
  const params: Partial<ServiceParams> = {}
  const out: ServiceSpec = { params }
  for (const [key, value] of Object.entries(raw)) {
    const field = `spec.${key}`
    if (key === 'classes') out.classes = parseClasses(value)
    else if (key === 'attesters') {
      if (!Array.isArray(value)) throw new InvalidInputError(`${field} must be a list of addresses`)
      out.attesters = value.map((a, i) => parseAddress(`spec.attesters[${i}]`, String(a)))
    } else if (key in FIELDS) {
      const kind = FIELDS[key as keyof ServiceParams]
      const text = String(value)
      const v =
        kind === 'address'
          ? parseAddress(field, text)
          : kind === 'duration'
            ? parseDuration(field, text)
            : kind === 'bps'
              ? parseBps(field, text, key === 'correlationMultiplierBps' ? 2 ** 32 - 1 : 65_535)
              : parseAmount(field, text, token, { allowZero: true })
      ;(params as Record<string, unknown>)[key] = v
    } else if (key !== 'name' && key !== 'description') {
      throw new InvalidInputError(
        `${field} is not a service field; known: ${[...Object.keys(FIELDS), 'classes', 'attesters'].join(', ')}`,
      )
    }
  }
  return out
}

function parseClasses(value: unknown): ViolationClass[] {
  if (!Array.isArray(value) || value.length === 0)
    throw new InvalidInputError(
      'spec.classes must be a list of violation classes (basePenaltyBps, jailDuration, permanentBan)',
    )
  return value.map((c, i) => {
    const field = `spec.classes[${i}]`
    if (typeof c !== 'object' || c === null) throw new InvalidInputError(`${field} must be an object`)
    const o = c as Record<string, unknown>
    for (const k of Object.keys(o))
      if (!['name', 'basePenaltyBps', 'jailDuration', 'permanentBan'].includes(k))
        throw new InvalidInputError(
          `${field}.${k} is not a class field; known: name, basePenaltyBps, jailDuration, permanentBan`,
        )
    if (o.basePenaltyBps === undefined)
      throw new InvalidInputError(`${field}.basePenaltyBps is required (e.g. 1% or 100)`)
    if (o.permanentBan !== undefined && typeof o.permanentBan !== 'boolean')
      throw new InvalidInputError(`${field}.permanentBan must be true or false`)
    return {
      basePenaltyBps: parseBps(`${field}.basePenaltyBps`, String(o.basePenaltyBps), 10_000),
      jailDuration:
        o.jailDuration === undefined ? 0 : parseDuration(`${field}.jailDuration`, String(o.jailDuration)),
      permanentBan: o.permanentBan === true,
    }
  })
}
