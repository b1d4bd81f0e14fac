import { readNetwork } from '../../../sdk/readNetwork.ts'
import { vaultLabel } from '../../lib/chain.ts'
import { beginRead } from '../../lib/command.ts'
import type { Sub } from '../../lib/group.ts'
import { printJson } from '../../lib/json.ts'
import { CONNECTION_HELP } from '../../lib/options.ts'
import { chooseSource, sourceLine } from '../../lib/readSource.ts'
import { table } from '../../lib/table.ts'
import { formatToken } from '../../lib/units.ts'
import { vaultsFromApi } from './fromApi.ts'

export const sub: Sub = {
  summary: 'every vault of the deployment with its operator, bond, pool and pending slashes',
  usage: `\n\n${CONNECTION_HELP}`,
  async run(args) {
    const s = await beginRead('vault list', args)
    const source = await chooseSource(s.ctx, s.values)
    const vaults = source ? await vaultsFromApi(source.api) : (await readNetwork(s.ctx.reader)).vaults
    if (s.json) return void printJson(vaults)
    const t = (x: bigint) => formatToken(x, s.ctx.stake)
    const rows = await Promise.all(
      vaults.map(async (v) => {
        const label = await vaultLabel(s.ctx, v.vault)
        return [v.vault, label.symbol, v.operator, t(v.bondAssets), t(v.poolAssets), t(v.pendingLiabilities)]
      }),
    )
    console.log(`Vaults (${rows.length})`)
    console.log(
      table(['vault', 'token', 'operator', 'bond', 'pool', 'pending slashes'], rows, [
        'left',
        'left',
        'left',
        'right',
        'right',
        'right',
      ]),
    )
    if (source) console.log(sourceLine(source))
  },
}
