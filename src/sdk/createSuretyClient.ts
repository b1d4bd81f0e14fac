import { type Account, type Chain, createPublicClient, createWalletClient, defineChain, http } from 'viem'
import type { SuretyAddresses, SuretyClient, SuretyReader } from './types.ts'

/** A chain definition for an arbitrary RPC (anvil, or any EVM chain by id). */
export function chainFor(rpcUrl: string, chainId: number): Chain {
  return defineChain({
    id: chainId,
    name: chainId === 31337 ? 'anvil' : `chain-${chainId}`,
    nativeCurrency: { name: 'Ether', symbol: 'ETH', decimals: 18 },
    rpcUrls: { default: { http: [rpcUrl] } },
  })
}

/** Read-only clients (no signer) for a deployment: every `read…` function takes one, as does `snapshotFromRpc`. */
export function createSuretyReader(params: {
  rpcUrl: string
  chainId: number
  addresses: SuretyAddresses
}): SuretyReader {
  const chain = chainFor(params.rpcUrl, params.chainId)
  return {
    public: createPublicClient({
      chain,
      transport: http(params.rpcUrl),
      pollingInterval: 50,
    }) as SuretyReader['public'],
    addresses: params.addresses,
  }
}

/** Clients for one signer: reads through `public`, writes signed by `account`. */
export function createSuretyClient(params: {
  rpcUrl: string
  chainId: number
  account: Account
  addresses: SuretyAddresses
}): SuretyClient {
  const chain = chainFor(params.rpcUrl, params.chainId)
  const reader = createSuretyReader(params)
  return {
    ...reader,
    wallet: createWalletClient({ chain, transport: http(params.rpcUrl), account: params.account }),
  }
}
