import { parseArgs } from 'node:util'
import { createPublicClient, createWalletClient, type Hex, http, isAddress, type PublicClient } from 'viem'
import { privateKeyToAccount } from 'viem/accounts'
import { DEFAULT_MIN_WITHDRAWAL_DELAY, DEFAULT_PARAM_CHANGE_DELAY, deploySurety } from '../../chain/deploy.ts'
import { writeDeployment } from '../../chain/deployment.ts'
import { InvalidInputError } from '../../errors.ts'
import { chainFor } from '../../sdk/createSuretyClient.ts'
import type { Command } from '../main.ts'

const usage = `Usage: surety deploy --rpc URL [--stake-token ADDRESS] [--param-delay SECONDS]
                     [--min-withdrawal-delay SECONDS] [--out DIR] [--json]

Deploys Surety (registry, factory, court, rewards; and a test stake token unless --stake-token is given) to any
EVM chain and writes DIR/<chainId>.json (default .surety/deployments). The deployer's key is read from the
SURETY_PRIVATE_KEY environment variable, never from a flag or a file in the repo.`

function seconds(name: string, value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback
  const n = Number(value)
  if (!Number.isInteger(n) || n < 0 || n > 2 ** 32 - 1)
    throw new InvalidInputError(`--${name} must be whole seconds, got '${value}'`)
  return n
}

export const command: Command = {
  summary: 'deploy Surety to a chain and write its deployment manifest',
  usage,
  async run(args) {
    const { values } = parseArgs({
      args,
      options: {
        rpc: { type: 'string' },
        'stake-token': { type: 'string' },
        'param-delay': { type: 'string' },
        'min-withdrawal-delay': { type: 'string' },
        out: { type: 'string', default: '.surety/deployments' },
        json: { type: 'boolean' },
      },
    })
    if (!values.rpc) throw new InvalidInputError('--rpc URL is required')
    const key = process.env.SURETY_PRIVATE_KEY
    if (!key || !/^0x[0-9a-fA-F]{64}$/.test(key)) {
      throw new InvalidInputError(
        'SURETY_PRIVATE_KEY must hold the deployer key as 0x followed by 64 hex digits',
      )
    }
    const stakeToken = values['stake-token']
    if (stakeToken !== undefined && !isAddress(stakeToken)) {
      throw new InvalidInputError(`--stake-token must be an address, got '${stakeToken}'`)
    }
    const paramChangeDelay = seconds('param-delay', values['param-delay'], DEFAULT_PARAM_CHANGE_DELAY)
    const minWithdrawalDelay = seconds(
      'min-withdrawal-delay',
      values['min-withdrawal-delay'],
      DEFAULT_MIN_WITHDRAWAL_DELAY,
    )
    const probe = createPublicClient({ transport: http(values.rpc) })
    const chainId = await probe.getChainId()
    const chain = chainFor(values.rpc, chainId)
    const publicClient = createPublicClient({ chain, transport: http(values.rpc) }) as PublicClient
    const wallet = createWalletClient({
      chain,
      transport: http(values.rpc),
      account: privateKeyToAccount(key as Hex),
    })
    const addresses = await deploySurety(publicClient, wallet, {
      stakeToken,
      paramChangeDelay,
      minWithdrawalDelay,
    })
    const path = writeDeployment(values.out, {
      chainId,
      rpcUrl: values.rpc,
      deployedAt: new Date().toISOString(),
      blockNumber: String(await publicClient.getBlockNumber()),
      paramChangeDelay,
      addresses,
    })
    if (values.json) console.log(JSON.stringify({ chainId, manifest: path, addresses }))
    else {
      console.log(`Surety deployed on chain ${chainId}; manifest ${path}`)
      for (const [name, address] of Object.entries(addresses)) console.log(`  ${name.padEnd(12)}${address}`)
    }
    return 0
  },
}
