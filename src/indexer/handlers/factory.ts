/** VaultFactory events: a vault and its operator's terms (the vault's own constructor mint may come first). */

import { type ContractHandlers, lc, read } from './types.ts'
import { changeVault } from './vault.ts'

export const factoryHandlers: ContractHandlers<'factory'> = {
  VaultCreated: {
    reads: (e) => [read('vaults', { vault: lc(e.args.vault) })],
    apply(e, ctx) {
      changeVault(ctx, lc(e.args.vault), (v) => {
        v.operator = lc(e.args.operator)
        v.withdrawal_delay = e.args.withdrawalDelay
        v.commission_bps = e.args.commissionBps
        v.restaking_cap_bps = e.args.restakingCapBps
      })
    },
  },
}
