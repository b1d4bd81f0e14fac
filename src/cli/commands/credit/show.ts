import { InvalidInputError } from '../../../errors.ts'
import { beginRead } from '../../lib/command.ts'
import type { Sub } from '../../lib/group.ts'
import { printJson } from '../../lib/json.ts'
import { CONNECTION_HELP, optionalAddress, str } from '../../lib/options.ts'
import { chooseSource, sourceLine } from '../../lib/readSource.ts'
import { loadAccount } from '../../lib/signer.ts'
import { formatToken } from '../../lib/units.ts'
import { creditsFromApi } from './fromApi.ts'
import { readCredits } from './read.ts'

export const sub: Sub = {
  summary: 'what the court and the vaults hold credited for an account',
  usage: `[--account ADDRESS]

--account defaults to the signer's address.

${CONNECTION_HELP}`,
  async run(args) {
    const s = await beginRead('credit show', args, {
      account: { type: 'string' },
      keystore: { type: 'string' },
    })
    let account = optionalAddress('--account', str(s.values, 'account'))
    if (!account) {
      if (!process.env.SURETY_PRIVATE_KEY && !s.values.keystore && !process.env.SURETY_KEYSTORE)
        throw new InvalidInputError('whose credits? pass --account ADDRESS, or set your key to see your own')
      account = (await loadAccount(s.values)).address
    }
    const source = await chooseSource(s.ctx, s.values)
    const credits = source
      ? await creditsFromApi(source.api, s.ctx.deployment.addresses.court, account)
      : await readCredits(s.ctx, account)
    if (s.json) return void printJson({ account, credits })
    if (credits.length === 0) console.log(`nothing credited to ${account}`)
    for (const c of credits)
      console.log(`${formatToken(c.amount, s.ctx.stake)} credited to ${account} in the ${c.what}`)
    if (source) console.log(sourceLine(source))
  },
}
