/**
 * /v1/network's answer: the deployment summed up. A schema module of its own (not in the route file) so the SDK's
 * API client can derive its type without loading the server.
 */
import { Type } from 'typebox'
import { Address, Amount } from './common.ts'

const Counts = Type.Record(Type.String(), Type.Integer())

export const Network = Type.Object(
  {
    chainId: Type.Union([Type.Integer(), Type.Null()]),
    addresses: Type.Record(Type.String(), Address, { description: 'the deployment’s contracts' }),
    services: Type.Integer(),
    vaults: Type.Integer(),
    operators: Type.Integer(),
    stakers: Type.Integer({
      description: 'addresses holding shares of any vault (not the vaults’ own dead shares)',
    }),
    attesters: Type.Object(
      { active: Type.Integer(), total: Type.Integer() },
      {
        description:
          'distinct attester addresses: active on at least one committee, and ever registered (one on two committees counts once)',
      },
    ),
    stake: Type.Object({
      bond: Amount,
      pool: Amount,
      total: Amount,
      allocated: { ...Amount, description: 'sum of allocations (restaked stake counts once per service)' },
      reserved: Amount,
      pendingLiabilities: Amount,
    }),
    orders: Type.Object({ total: Type.Integer(), byStatus: Counts }),
    slashes: Type.Object({
      total: Type.Integer(),
      byStatus: Counts,
      pendingAmount: { ...Amount, description: 'held by slashes not yet executed, overturned or lapsed' },
      executedAmount: { ...Amount, description: 'taken from vaults by executed slashes' },
    }),
    rewards: Type.Object({ distributed: Amount }),
    indexer: Type.Object({
      head: Type.Union([Type.Integer(), Type.Null()], { description: 'the chain head the indexer last saw' }),
      finalityDepth: Type.Union([Type.Integer(), Type.Null()]),
      halted: Type.Union([Type.String(), Type.Null()]),
    }),
  },
  { description: 'the deployment summed up' },
)
