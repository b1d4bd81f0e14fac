/** The block bookkeeping every entity carries: where it appeared, where it last changed, whether that is final. */
import { Type } from 'typebox'

export const EntityMeta = {
  createdBlock: Type.Integer({ description: 'block of the event that created it' }),
  updatedBlock: Type.Integer({ description: 'block of its last change' }),
  final: Type.Boolean({ description: 'its last change is final (cannot be undone by a reorg)' }),
}

export type EntityMetaJson = { createdBlock: number; updatedBlock: number; final: boolean }

export const entityMeta = (
  row: { createdBlock: number; blockNumber: number },
  finalNumber: number,
): EntityMetaJson => ({
  createdBlock: row.createdBlock,
  updatedBlock: row.blockNumber,
  final: row.blockNumber <= finalNumber,
})
