import { InvalidInputError } from '../../../errors.ts'
import { vaultFactoryAbi } from '../../../generated/contracts.ts'
import { createVault } from '../../../sdk/index.ts'
import { beginWrite, write } from '../../lib/command.ts'
import type { Sub } from '../../lib/group.ts'
import { CONNECTION_HELP, SIGNER_HELP, str } from '../../lib/options.ts'
import { duration, parseDuration } from '../../lib/time.ts'
import { parseBps } from '../../lib/units.ts'

export const sub: Sub = {
  summary: 'create your operator vault (its shares are your liquid staking token)',
  usage: `--name NAME --symbol SYMBOL [--withdrawal-delay 1d] [--commission 10%] [--restaking-cap 100%]

Creates the signer's vault. Stakers wait --withdrawal-delay to leave (at least the slashing pipeline of every
service the vault will back); allocation increases wait twice that. --commission is your cut of rewards (at most
50%); --restaking-cap how far allocations may exceed the stake (100% = no restaking, at most 1000%).

${CONNECTION_HELP}

${SIGNER_HELP}`,
  async run(args) {
    const opts = {
      name: { type: 'string' },
      symbol: { type: 'string' },
      'withdrawal-delay': { type: 'string' },
      commission: { type: 'string' },
      'restaking-cap': { type: 'string' },
    } as const
    let terms = { delay: 0, commission: 0, cap: 0 }
    const s = await beginWrite('vault create', args, opts, (v) => {
      if (!str(v, 'name')) throw new InvalidInputError("--name NAME is required (the vault token's name)")
      if (!str(v, 'symbol'))
        throw new InvalidInputError("--symbol SYMBOL is required (the vault token's symbol)")
      terms = {
        delay: parseDuration('withdrawal-delay', str(v, 'withdrawal-delay') ?? '1d'),
        commission: parseBps('commission', str(v, 'commission') ?? '10%', 5000),
        cap: parseBps('restaking-cap', str(v, 'restaking-cap') ?? '100%', 100_000),
      }
      if (terms.cap < 10_000) throw new InvalidInputError('--restaking-cap must be at least 100%')
    })
    const params = {
      withdrawalDelay: terms.delay,
      commissionBps: terms.commission,
      restakingCapBps: terms.cap,
      name: str(s.values, 'name')!,
      symbol: str(s.values, 'symbol')!,
    }
    await write(
      s,
      {
        explain: [
          `create vault "${params.name}" (${params.symbol}) operated by ${s.account.address}:`,
          `  stakers wait ${duration(params.withdrawalDelay)} to withdraw; allocation increases wait ${duration(2 * params.withdrawalDelay)}`,
          `  commission ${params.commissionBps / 100}% of rewards; restaking cap ${params.restakingCapBps / 100}% of the stake`,
        ],
        call: {
          address: s.ctx.deployment.addresses.factory,
          abi: vaultFactoryAbi,
          functionName: 'createVault',
          args: [
            params.withdrawalDelay,
            params.commissionBps,
            params.restakingCapBps,
            params.name,
            params.symbol,
          ],
        },
        send: () => createVault(s.client, params),
      },
      (vault) => [
        `vault ${vault} created`,
        `  next: add your first-loss bond (surety vault bond add --amount A), then allocate to a service (surety allocate)`,
      ],
    )
  },
}
