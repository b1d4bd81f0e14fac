/** A fresh world: deploys Surety with the profile's delays and, unless `--no-world`, seeds the designed world. */
import type { Account, Address } from 'viem'
import { deploySurety, placeholderAddresses } from '../chain/deploy.ts'
import type { Seeder } from '../chain/seed.ts'
import { createSuretyClient } from '../sdk/createSuretyClient.ts'
import type { SuretyAddresses, SuretyClient } from '../sdk/types.ts'
import type { WorldAccounts } from './accounts.ts'
import { CHAIN_ID, type WorldChain, warpChain } from './chain.ts'
import type { WorldDesign } from './design.ts'
import { paramChangeDelay, type WorldProfile } from './profile.ts'
import { seedWorld } from './seedWorld.ts'

export async function deployWorld(
  chain: WorldChain,
  accounts: WorldAccounts,
  design: WorldDesign,
  profile: WorldProfile,
  withWorld: boolean,
  steps: { progress: (what: string) => void; phase: (name: string, what: string) => void },
) {
  steps.phase('deploy', 'deploying the contracts')
  const deployer = createSuretyClient({
    rpcUrl: chain.anvil.rpcUrl,
    chainId: CHAIN_ID,
    account: accounts.deployer,
    addresses: placeholderAddresses(accounts.deployer.address),
  })
  const addresses: SuretyAddresses = await deploySurety(chain.public, deployer.wallet, {
    paramChangeDelay: paramChangeDelay(profile),
    minWithdrawalDelay: profile.withdrawalDelay,
  })
  const deployment = {
    chainId: CHAIN_ID,
    blockNumber: String(await chain.public.getBlockNumber({ cacheTime: 0 })),
    paramChangeDelay: paramChangeDelay(profile),
    addresses,
  }
  if (!withWorld) return { addresses, deployment, serviceIds: [] as bigint[], vaults: [] as Address[] }
  const clients = new Map<string, SuretyClient>()
  const seeder: Seeder = {
    addresses,
    travel: (seconds) => warpChain(chain.rpc, Number(seconds)),
    clientFor: (account: Account) => {
      let c = clients.get(account.address)
      if (!c) {
        c = createSuretyClient({ rpcUrl: chain.anvil.rpcUrl, chainId: CHAIN_ID, account, addresses })
        clients.set(account.address, c)
      }
      return c
    },
  }
  steps.phase('seed', 'seeding the world')
  const seeded = await seedWorld(seeder, accounts, design, profile, steps.progress)
  return { addresses, deployment, ...seeded }
}
