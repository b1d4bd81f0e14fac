/** The word-by-word decoder agrees with viem's general one on every event of every Surety ABI. */
import assert from 'node:assert/strict'
import { test } from 'node:test'
import {
  type AbiEvent,
  type AbiParameter,
  decodeEventLog,
  encodeAbiParameters,
  encodeEventTopics,
  type Hex,
  type Log,
} from 'viem'
import { CONTRACT_ABIS, type ContractKind } from '../events.ts'
import { decodeLog } from './decode.ts'

let seed = 7
const rand = () => {
  seed = (seed * 16_807) % 2_147_483_647
  return seed
}

function sample(p: AbiParameter): unknown {
  const t = p.type
  if (t === 'tuple') {
    return Object.fromEntries(
      (p as { components: readonly AbiParameter[] }).components.map((c) => [c.name, sample(c)]),
    )
  }
  if (t.endsWith('[]')) return [sample({ ...p, type: t.slice(0, -2) } as AbiParameter)]
  if (t === 'address') return `0x${rand().toString(16).padStart(40, '0')}`
  if (t === 'bool') return rand() % 2 === 0
  if (t.startsWith('bytes'))
    return `0x${rand()
      .toString(16)
      .padStart(Number(t.slice(5)) * 2, 'f')}`
  const bits = Number(t.replace(/^u?int/, '') || 256)
  const max = (1n << BigInt(t.startsWith('u') ? bits : bits - 1)) - 1n
  const v = (BigInt(rand()) * 1_000_003n * BigInt(rand())) % max
  const signed = t.startsWith('int') && rand() % 2 === 0 ? -v : v
  return bits <= 48 ? Number(signed) : signed
}

const lower = (v: unknown): unknown =>
  typeof v === 'string'
    ? v.toLowerCase()
    : Array.isArray(v)
      ? v.map(lower)
      : v && typeof v === 'object'
        ? Object.fromEntries(Object.entries(v).map(([k, x]) => [k, lower(x)]))
        : v

test('every event of every contract decodes as viem decodes it (addresses lower-case)', () => {
  let checked = 0
  for (const [kind, abi] of Object.entries(CONTRACT_ABIS) as [ContractKind, readonly { type: string }[]][]) {
    for (const item of abi) {
      if (item.type !== 'event') continue
      const ev = item as AbiEvent
      for (let round = 0; round < 5; round++) {
        const args = Object.fromEntries(ev.inputs.map((i) => [i.name, sample(i)]))
        const topics = encodeEventTopics({ abi: [ev], eventName: ev.name, args } as never) as Hex[]
        const data = encodeAbiParameters(
          ev.inputs.filter((i) => !i.indexed),
          ev.inputs.filter((i) => !i.indexed).map((i) => args[i.name!]),
        )
        const log = {
          address: '0x1',
          topics,
          data,
          blockNumber: 1n,
          logIndex: 0,
          blockHash: '0x2',
          transactionHash: '0x3',
        }
        const ours = decodeLog(kind, log as unknown as Log, 5n)
        const theirs = decodeEventLog({ abi: [ev], data, topics: topics as [Hex] })
        // addresses come out lower-case (the tables' form), viem's checksummed
        assert.deepEqual(lower(ours?.args), lower(theirs.args ?? {}), `${kind}.${ev.name}`)
        checked++
      }
    }
  }
  assert.ok(checked > 250, `${checked} events checked`)
})
