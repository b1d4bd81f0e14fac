/** `surety index verify`: the index against the contracts' views at the block it reflects; exit 1 on any difference. */
import { verifyIndex } from '../verify/verifyIndex.ts'
import { COMMON_OPTIONS, connect, parse } from './options.ts'

export async function verifyCommand(args: string[]): Promise<number> {
  const { values } = parse(args, COMMON_OPTIONS)
  const c = await connect(values)
  try {
    const result = await verifyIndex({
      db: c.idb.db,
      dialect: c.idb.dialect,
      client: c.client,
      addresses: c.deployment.addresses,
    })
    if (values.json) {
      console.log(JSON.stringify(result, (_k, v) => (typeof v === 'bigint' ? v.toString() : v), 2))
    } else {
      const n = result.checked
      console.log(
        `block ${result.block.number} (${result.block.hash}): checked ${n.vaults} vaults, ${n.positions} positions, ${n.withdrawals} withdrawals, ${n.allocations} allocations, ${n.slashes} pending slashes, ${n.orders} open orders, ${n.services} services, ${n.attesters} attesters`,
      )
      for (const d of result.differences) {
        console.log(`  ${d.entity} ${d.id} ${d.field}: indexed ${d.indexed}, chain ${d.chain}`)
      }
      console.log(
        result.differences.length === 0 ? 'no differences' : `${result.differences.length} differences`,
      )
    }
    return result.differences.length === 0 ? 0 : 1
  } finally {
    await c.idb.close()
  }
}
