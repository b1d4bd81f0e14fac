/** A service as the registry holds it, and its terms as people read them. */
import { serviceRegistryAbi, slashingCourtAbi } from '../../../sdk/abis.ts'
import type { ServiceParams, ViolationClass } from '../../../sdk/types.ts'
import type { Context } from '../../lib/connect.ts'
import { percent } from '../../lib/table.ts'
import { duration } from '../../lib/time.ts'
import { formatToken } from '../../lib/units.ts'

export async function readService(ctx: Context, serviceId: bigint) {
  const registry = ctx.deployment.addresses.registry
  const r = <F extends 'serviceParams' | 'violationClasses' | 'serviceOwner' | 'committee'>(
    functionName: F,
  ) =>
    ctx.reader.public.readContract({
      address: registry,
      abi: serviceRegistryAbi,
      functionName,
      args: [serviceId],
    } as never)
  const [params, classes, owner, committee, allocated] = await Promise.all([
    r('serviceParams') as Promise<ServiceParams>,
    r('violationClasses') as Promise<readonly ViolationClass[]>,
    r('serviceOwner') as Promise<`0x${string}`>,
    r('committee') as Promise<readonly [readonly `0x${string}`[], readonly bigint[]]>,
    ctx.reader.public.readContract({
      address: ctx.deployment.addresses.court,
      abi: slashingCourtAbi,
      functionName: 'serviceAllocated',
      args: [serviceId],
    }),
  ])
  return {
    serviceId,
    owner,
    params,
    classes: [...classes],
    committee: committee[0].map((member, i) => ({ attester: member, bond: committee[1][i]! })),
    allocated,
  }
}

/** Each term on its own line, in units people read. */
export function termLines(ctx: Context, p: ServiceParams): string[] {
  const t = (x: bigint) => formatToken(x, ctx.stake)
  return [
    `resolver ${p.resolver}; slashed remainder to ${p.sink}`,
    `dispute window ${duration(p.disputeWindow)}, dispute bond ${t(p.disputeBond)}; resolver rules within ${duration(p.resolutionDeadline)}`,
    `quorum ${percent(p.quorumBps)} of the committee's bond; attesters need ${t(p.minAttesterBond)}; a signer of an overturned report loses ${percent(p.attesterPenaltyBps)}`,
    `a slash pays ${percent(p.clientShareBps)} to the client, ${percent(p.reporterShareBps)} to the reporter; capped at ${percent(p.incidentCapBps)} per incident, ${percent(p.windowCapBps)} per ${duration(p.correlationWindow)} window`,
    `correlation multiplier ${percent(p.correlationMultiplierBps)} of the share of stake slashed in the window`,
    `orders: fee ${percent(p.orderFeeBps)}, collateral ${percent(p.collateralFactorBps)} of value (reputation floor ${percent(p.collateralFloorBps)})`,
    `declared value secured ${t(p.declaredValue)}`,
  ]
}

/** `i`: the class's number, or its number and name (`1 (lateness)`). */
export const classLine = (c: ViolationClass, i: number | string) =>
  `class ${i}: penalty ${percent(c.basePenaltyBps)}${c.jailDuration > 0 ? `, jail ${duration(c.jailDuration)}` : ''}${c.permanentBan ? ', permanent ban' : ''}`
