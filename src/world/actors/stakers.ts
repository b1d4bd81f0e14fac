/**
 * The stakers: every few blocks one of them deposits into a vault, asks to withdraw part of a position, claims a
 * withdrawal that has matured, or collects a vault's rewards for its stakers (anyone may). Matured withdrawals
 * are always claimed first.
 */
import { maxUint256, parseEther } from 'viem'
import {
  approveStake,
  claimRewards,
  claimWithdrawal,
  deposit,
  operatorVaultAbi,
  requestWithdrawal,
} from '../../sdk/index.ts'
import type { WorldContext } from '../context.ts'

export function stakersTick(ctx: WorldContext, approved: Set<string>) {
  for (const w of ctx.view.withdrawals) {
    if (w.claimed || w.readyAt >= ctx.now) continue
    const staker = ctx.accounts.stakers.find((s) => s.address.toLowerCase() === w.owner.toLowerCase())
    if (!staker) continue
    ctx.act(staker, 'claiming a withdrawal', () =>
      claimWithdrawal(ctx.clientFor(staker), { vault: w.vault, id: w.id }),
    )
  }
  if (ctx.head % BigInt(ctx.profile.stakerEveryBlocks) !== 0n) return
  const rng = ctx.rng('staker', ctx.head)
  const index = rng.int(0, ctx.accounts.stakers.length - 1)
  const staker = ctx.accounts.stakers[index]!
  if (ctx.busy(staker)) return
  const client = ctx.clientFor(staker)
  const r = rng.next()
  const vaultIndex = rng.int(0, ctx.vaults.length - 1)
  const vault = ctx.vaults[vaultIndex]!
  if (r < 0.45) {
    const assets = parseEther(String(rng.int(1, 10) * 1000))
    ctx.act(staker, `staker ${index + 1} depositing`, async () => {
      const key = `${staker.address}:${vault}`
      if (!approved.has(key)) {
        const allowance = await client.public.readContract({
          address: ctx.addresses.stakeToken,
          abi: [
            {
              type: 'function',
              name: 'allowance',
              stateMutability: 'view',
              inputs: [{ type: 'address' }, { type: 'address' }],
              outputs: [{ type: 'uint256' }],
            },
          ] as const,
          functionName: 'allowance',
          args: [staker.address, vault],
        })
        if (allowance < assets) await approveStake(client, { spender: vault, amount: maxUint256 })
        approved.add(key)
      }
      await deposit(client, { vault, assets })
    })
  } else if (r < 0.7) {
    const part = BigInt(rng.int(10, 30))
    ctx.act(staker, `staker ${index + 1} requesting a withdrawal`, async () => {
      const shares = await client.public.readContract({
        address: vault,
        abi: operatorVaultAbi,
        functionName: 'balanceOf',
        args: [staker.address],
      })
      if (shares === 0n) return
      await requestWithdrawal(client, { vault, shares: (shares * part) / 100n })
    })
  } else {
    const op = ctx.design.operators[vaultIndex]!
    const service = op.services[rng.int(0, op.services.length - 1)]!
    ctx.act(staker, `staker ${index + 1} collecting rewards`, () =>
      claimRewards(client, { vault, serviceId: ctx.serviceIds[service]! }),
    )
  }
}
