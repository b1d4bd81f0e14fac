import type { SuretyDeployment } from './types.ts'

/**
 * The local devnet (`npx surety devnet`, chain 31337): anvil's first test account deploys Surety from nonce 0, so
 * the addresses are the same on every fresh devnet. A test deploys one and compares.
 */
export const devnet: SuretyDeployment = {
  chainId: 31337,
  name: 'devnet',
  paramChangeDelay: 48 * 3600,
  addresses: {
    stakeToken: '0x5FbDB2315678afecb367f032d93F642f64180aa3',
    registry: '0x9fE46736679d2D9a65F0992F2272dE9f3c7fa6e0',
    factory: '0xCf7Ed3AccA5a467e9e704C703E8D87F634fB0Fc9',
    court: '0xDc64a140Aa3E981100a9becA4E685f962f0cF6C9',
    rewards: '0x5FC8d32690cc91D4c39d9d3abcBD16989F875707',
    orders: '0x0165878A594ca255338adfa4d48449f69242Eb8F',
  },
}
