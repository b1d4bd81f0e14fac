/**
 * `surety devnet key N`: the private key of account N of the devnet's standard test mnemonic, so a user can act as
 * any member of the world's cast (`export SURETY_PRIVATE_KEY=$(npx surety devnet key 3)`) without another tool.
 * These keys are public (every anvil prints them): never fund them on a real chain.
 */

import { mnemonicToAccount } from 'viem/accounts'
import { InvalidInputError } from '../../../errors.ts'
import { ACCOUNT_COUNT, DEVNET_MNEMONIC, privateKeyOf } from '../../../world/accounts.ts'

export function devnetKey(args: string[]): number {
  const [index, ...rest] = args
  if (index === undefined || rest.length > 0 || !/^[0-9]+$/.test(index) || Number(index) >= ACCOUNT_COUNT)
    throw new InvalidInputError(
      `give one account index from 0 to ${ACCOUNT_COUNT - 1} (the "who is who" table of the banner), e.g. \`surety devnet key 3\``,
    )
  console.log(privateKeyOf(mnemonicToAccount(DEVNET_MNEMONIC, { addressIndex: Number(index) })))
  return 0
}
