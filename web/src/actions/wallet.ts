/**
 * Who signs the dashboard's transactions. On a devnet (chain 31337 with the RPC given by /v1/dashboard/config),
 * the well-known test accounts sign locally through viem, so a person can play every role; in production a
 * browser wallet signs through viem's `custom` transport (EIP-1193), and the dashboard never sees a key.
 * This module and the SDK actions it drives are loaded only when a form is used, off the first load.
 */
import {
  type Account,
  type Address,
  createPublicClient,
  createWalletClient,
  custom,
  type EIP1193Provider,
  http,
} from 'viem'
import { mnemonicToAccount } from 'viem/accounts'
import { chainFor } from '../../../src/sdk/createSuretyClient.ts'
import type { SuretyAddresses, SuretyClient } from '../../../src/sdk/types.ts'
import type { DashboardConfig } from '../api/types.ts'

/** The devnet's mnemonic (src/chain/devnet.ts): public test keys, never used outside a local chain. */
const DEVNET_MNEMONIC = 'test test test test test test test test test test test junk'

/** The devnet's roles by account index (src/chain/devnet.ts). */
export const DEVNET_ROLES = {
  staker: [6, 7, 8, 9],
  operator: [4, 5],
  client: [15],
} as const

export function devnetAccount(index: number): Account {
  return mnemonicToAccount(DEVNET_MNEMONIC, { addressIndex: index })
}

/** The devnet account index with this address among the first 20, or undefined. */
export function devnetIndexOf(address: string): number | undefined {
  for (let i = 0; i < 20; i++) if (devnetAccount(i).address.toLowerCase() === address.toLowerCase()) return i
  return undefined
}

export function devnetClient(config: DashboardConfig, index: number): SuretyClient {
  if (!config.devnet || !config.rpcUrl)
    throw new Error('devnet accounts exist only on a devnet; connect a wallet instead')
  const chain = chainFor(config.rpcUrl, config.chainId)
  const account = devnetAccount(index)
  return {
    public: createPublicClient({
      chain,
      transport: http(config.rpcUrl),
      pollingInterval: 100,
    }) as SuretyClient['public'],
    wallet: createWalletClient({ chain, transport: http(config.rpcUrl), account }),
    addresses: config.addresses as SuretyAddresses,
  }
}

type Injected = EIP1193Provider & { request: EIP1193Provider['request'] }

/** A browser wallet (window.ethereum) as a Surety client: it signs, reads go through it too. */
export async function walletClient(config: DashboardConfig): Promise<SuretyClient> {
  const provider = (globalThis as { ethereum?: Injected }).ethereum
  if (!provider) throw new Error('no browser wallet found: install one (EIP-1193) or use the devnet')
  const [address] = (await provider.request({ method: 'eth_requestAccounts' })) as Address[]
  if (!address) throw new Error('the wallet gave no account')
  const chain = chainFor(config.rpcUrl ?? 'http://127.0.0.1:8545', config.chainId)
  const transport = custom(provider)
  return {
    public: createPublicClient({ chain, transport }) as SuretyClient['public'],
    wallet: createWalletClient({ chain, transport, account: address }) as unknown as SuretyClient['wallet'],
    addresses: config.addresses as SuretyAddresses,
  }
}
