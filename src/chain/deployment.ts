/** The deployment manifest: one JSON file per chain id, so every tool finds the same contracts. */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { z } from 'zod'
import { InvalidInputError } from '../errors.ts'
import type { SuretyAddresses } from '../sdk/types.ts'

const address = z.string().regex(/^0x[0-9a-fA-F]{40}$/, 'must be a 0x-prefixed 20-byte address')

export const deploymentSchema = z.object({
  chainId: z.number().int().positive(),
  rpcUrl: z.string().url(),
  /** The deployment's HTTP API (`surety api`), when it has one: the CLI's read commands read through it. */
  apiUrl: z.string().url().optional(),
  deployedAt: z.string(),
  blockNumber: z.string(),
  paramChangeDelay: z.number().int().nonnegative(),
  /**
   * Names for people, which the chain does not hold: a service's name and its violation classes' names, by service
   * id (the devnet writes them; an operator of a deployment may add them). The CLI prints them beside the ids.
   */
  labels: z
    .object({
      services: z.record(
        z.string().regex(/^[1-9][0-9]*$/, 'must be a service id'),
        z.object({
          name: z.string().min(1).max(64),
          classes: z.array(z.string().min(1).max(64)).max(255).optional(),
        }),
      ),
    })
    .optional(),
  addresses: z.object({
    stakeToken: address,
    registry: address,
    factory: address,
    court: address,
    rewards: address,
    orders: address,
  }),
})

export type Deployment = Omit<z.infer<typeof deploymentSchema>, 'addresses'> & { addresses: SuretyAddresses }

export function deploymentPath(dir: string, chainId: number): string {
  return join(dir, `${chainId}.json`)
}

export function writeDeployment(dir: string, deployment: Deployment): string {
  const path = deploymentPath(dir, deployment.chainId)
  mkdirSync(dirname(path), { recursive: true })
  writeFileSync(path, `${JSON.stringify(deployment, null, 2)}\n`)
  return path
}

export function readDeployment(path: string): Deployment {
  let raw: unknown
  try {
    raw = JSON.parse(readFileSync(path, 'utf8'))
  } catch (error) {
    throw new InvalidInputError(`cannot read deployment manifest ${path}`, { cause: error })
  }
  const parsed = deploymentSchema.safeParse(raw)
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!
    throw new InvalidInputError(`deployment manifest ${path}: ${issue.path.join('.')} ${issue.message}`)
  }
  return parsed.data as Deployment
}
