import type { Address } from 'viem'
import type { World } from './world.ts'

/** Puts a mock token's runtime code at `address` (a world's stake token), by deploying it once elsewhere. */
export async function installToken(w: World, address: Address, bytecode: `0x${string}`) {
  const wallet = w.clientFor(w.deployer).wallet
  const hash = await wallet.deployContract({ abi: [], bytecode, chain: null })
  const receipt = await w.public.waitForTransactionReceipt({ hash })
  const code = await w.public.getCode({ address: receipt.contractAddress! })
  await w.test.setCode({ address, bytecode: code! })
}
