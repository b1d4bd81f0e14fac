/** A raw decoded contract event, as the indexer stored it (the stream sends the same shape). */
import { Type } from 'typebox'
import type { View } from '../../indexer/db/codec.ts'
import { time } from '../format.ts'
import { Address, Bytes32, Time } from './common.ts'

export const ChainEvent = Type.Object(
  {
    id: Type.String({ description: 'a stream cursor: <block>:<logIndex>:<blockHash>' }),
    name: Type.String(),
    contract: Address,
    contractKind: Type.String({ description: 'registry, factory, court, rewards, orders or vault' }),
    block: Type.Object({ number: Type.Integer(), hash: Bytes32, final: Type.Boolean() }),
    time: Type.Union([Time, Type.Null()]),
    txHash: Bytes32,
    logIndex: Type.Integer(),
    args: Type.Record(Type.String(), Type.Unknown(), {
      description: 'decoded arguments; integers as decimal strings',
    }),
  },
  { description: 'a contract event' },
)

export function eventJson(e: View<'events'>, finalNumber: number) {
  return {
    id: `${e.blockNumber}:${e.logIndex}:${e.blockHash}`,
    name: e.name,
    contract: e.address,
    contractKind: e.contract,
    block: { number: e.blockNumber, hash: e.blockHash, final: e.blockNumber <= finalNumber },
    time: e.timestamp ? time(e.timestamp) : null,
    txHash: e.txHash,
    logIndex: e.logIndex,
    args: JSON.parse(e.args) as Record<string, unknown>,
  }
}
