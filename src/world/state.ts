/**
 * The world's own durable state (DIR/world.json with `--state`): the seed and speed it was created with, its
 * deployment, when it first started (the hard outage is scheduled from then), the block its story was told up
 * to, and its counters. Everything else is rebuilt from the chain on start. Written atomically (a temporary file
 * renamed over the old one), so a crash never leaves half a file.
 */
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { z } from 'zod'
import { InvalidInputError } from '../errors.ts'

const address = z.string().regex(/^0x[0-9a-fA-F]{40}$/)

export const worldStateSchema = z.object({
  version: z.literal(1),
  seed: z.number().int().nonnegative(),
  profile: z.enum(['demo', 'fast']),
  scenario: z.enum(['none', 'attack']),
  world: z.boolean(),
  deployment: z.object({
    chainId: z.number().int(),
    blockNumber: z.string(),
    paramChangeDelay: z.number().int(),
    addresses: z.object({
      stakeToken: address,
      registry: address,
      factory: address,
      court: address,
      rewards: address,
      orders: address,
    }),
  }),
  serviceIds: z.array(z.string()),
  vaults: z.array(address),
  /** Unix seconds of the world's first start. */
  startedAt: z.number().int(),
  /** The first block the nodes and the story read. */
  worldBlock: z.string(),
  /** The story has been told up to this block. */
  toldBlock: z.string(),
  /** Shipment devices created so far (device n's key derives from the seed and n). */
  devices: z.number().int().nonnegative(),
  /** Orders each client opened (their rng labels). */
  ordersOpened: z.number().int().nonnegative(),
  attackDone: z.boolean().default(false),
})

export type WorldState = z.infer<typeof worldStateSchema>

export const statePath = (dir: string) => join(dir, 'world.json')

export function readWorldState(dir: string): WorldState | undefined {
  const path = statePath(dir)
  if (!existsSync(path)) return undefined
  let raw: unknown
  try {
    raw = JSON.parse(readFileSync(path, 'utf8'))
  } catch (cause) {
    throw new InvalidInputError(`${path} is not valid JSON: remove the directory to start a new world`, {
      cause,
    })
  }
  const parsed = worldStateSchema.safeParse(raw)
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!
    throw new InvalidInputError(
      `${path}: ${issue.path.join('.')} ${issue.message} — remove the directory to start a new world`,
    )
  }
  return parsed.data
}

export function writeWorldState(dir: string, state: WorldState) {
  mkdirSync(dir, { recursive: true })
  const path = statePath(dir)
  writeFileSync(`${path}.tmp`, `${JSON.stringify(state, null, 2)}\n`)
  renameSync(`${path}.tmp`, path)
}
