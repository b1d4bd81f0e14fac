/**
 * Every endpoint against a real indexed chain, on SQLite and on PostgreSQL: anvil with a seeded world (see
 * test/support/apiWorld.ts), the indexer caught up into each store, and the API answering from it. Figures are
 * checked against the contracts' own views where there is one, so a wrong join or a lost digit fails here.
 */
import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { Ajv } from 'ajv'
import formats from 'ajv-formats'
import { type Address, erc20Abi, parseEther } from 'viem'
import { type ApiWorld, seedApiWorld } from '../../test/support/apiWorld.ts'
import { createWorld, type World } from '../../test/support/world.ts'
import { serviceRegistryAbi } from '../sdk/abis.ts'
import { readVault } from '../sdk/readVault.ts'
import { type IndexedWorld, indexWorld } from './testing/indexedWorld.ts'

const FINALITY = 3

let w: World
let fx: ApiWorld
const served = new Map<'sqlite' | 'postgres', IndexedWorld>()

before(async () => {
  w = await createWorld()
  fx = await seedApiWorld(w)
  for (const name of ['sqlite', 'postgres'] as const) {
    served.set(name, await indexWorld(w, { store: name, finalityDepth: FINALITY }))
  }
})

after(async () => {
  for (const s of served.values()) await s.close()
  await w?.anvil.stop()
})

// biome-ignore lint/suspicious/noExplicitAny: parsed JSON answers, checked field by field
type Json = Record<string, any>

for (const name of ['sqlite', 'postgres'] as const) {
  describe(`the API on ${name}`, () => {
    const app = () => served.get(name)!.app
    const get = async (url: string) => {
      const r = await app().inject({ method: 'GET', url })
      return { status: r.statusCode, body: r.json() as Json, headers: r.headers }
    }
    const ok = async (url: string) => {
      const r = await get(url)
      assert.equal(r.status, 200, `${url}: ${JSON.stringify(r.body)}`)
      if (url !== '/openapi.json') await conforms(url, r.body)
      return r.body
    }
    /** Every answer matches the schema /openapi.json publishes for its route (the contract the dashboard reads). */
    const validators = new Map<string, (body: unknown) => boolean>()
    let doc: Json | undefined
    const conforms = async (url: string, body: unknown) => {
      doc ??= (await app().inject('/openapi.json')).json() as Json
      const path = url.split('?')[0]!
      const template = Object.keys(doc.paths).find((t) =>
        new RegExp(`^${t.replace(/\{[^}]+\}/g, '[^/]+')}$`).test(path),
      )
      assert.ok(template, `${path} is in the OpenAPI document`)
      let validate = validators.get(template)
      if (!validate) {
        const ajv = new Ajv({ strict: false, allErrors: true })
        // ajv-formats is CommonJS: its function is the default export's default under NodeNext
        ;(formats as unknown as { default: (a: Ajv) => void }).default(ajv)
        const schema = doc.paths[template].get.responses['200'].content['application/json'].schema
        const compiled = ajv.compile(schema)
        validate = (b: unknown) => {
          const valid = compiled(b)
          if (!valid) assert.fail(`${url} does not match its schema: ${ajv.errorsText(compiled.errors)}`)
          return valid
        }
        validators.set(template, validate)
      }
      validate(body)
    }
    /** Every page of a list, following page.next. */
    const all = async (url: string) => {
      const items: Json[] = []
      let next: string | null = null
      do {
        const sep = url.includes('?') ? '&' : '?'
        const body = await ok(next ? `${url}${sep}cursor=${encodeURIComponent(next)}` : url)
        items.push(...body.data)
        next = body.page.next
      } while (next)
      return items
    }
    const lower = (a: string) => a.toLowerCase()

    it('says which block every response reflects: the chain head, its hash, and that it is not final yet', async () => {
      const head = await w.public.getBlock()
      const body = await ok('/v1/network')
      assert.equal(body.block.number, Number(head.number))
      assert.equal(body.block.hash, head.hash)
      assert.equal(body.block.final, false)
      assert.equal(body.block.finalNumber, Number(head.number) - FINALITY)
      assert.equal(body.block.time.unix, Number(head.timestamp))
      assert.equal(body.block.time.iso, new Date(Number(head.timestamp) * 1000).toISOString())
    })

    it('sums the network: services, vaults, stakers, orders and slashes by status, stake', async () => {
      const n = (await ok('/v1/network')).data
      assert.equal(n.chainId, w.chainId)
      assert.equal(n.addresses.registry, lower(w.addresses.registry))
      assert.equal(n.services, 1)
      assert.equal(n.vaults, 3)
      assert.equal(n.operators, 3)
      assert.equal(n.stakers, 2)
      assert.deepEqual(n.orders.byStatus, { Active: 1, Open: 1 })
      assert.deepEqual(n.slashes.byStatus, { Pending: 1 })
      assert.deepEqual(n.attesters, { active: 5, total: 5 })
      const views = await Promise.all(fx.ops.map((o) => readVault(w, o.vault)))
      const bond = views.reduce((a, v) => a + v.bondAssets, 0n)
      const pool = views.reduce((a, v) => a + v.poolAssets, 0n)
      assert.equal(n.stake.bond.base, bond.toString())
      assert.equal(n.stake.pool.base, pool.toString())
      assert.equal(n.stake.total.base, (bond + pool).toString())
    })

    it('lists services and shows one with its terms and violation classes', async () => {
      const list = await ok('/v1/services')
      assert.equal(list.data.length, 1)
      const s = list.data[0]
      assert.equal(s.id, fx.svc.serviceId.toString())
      assert.equal(s.owner, lower(fx.svc.owner.address))
      assert.equal(s.terms.orderFeeBps, 100)
      assert.equal(s.classes.length, 3)
      assert.deepEqual(s.classes[2], {
        classId: 2,
        basePenaltyBps: 5000,
        jailDurationSeconds: 0,
        permanentBan: true,
      })
      assert.deepEqual((await ok(`/v1/services/${s.id}`)).data, s)
      // kept only in the registry's events' params (not a column): read back against the registry itself
      const params = await w.public.readContract({
        address: w.addresses.registry,
        abi: serviceRegistryAbi,
        functionName: 'serviceParams',
        args: [fx.svc.serviceId],
      })
      assert.equal(s.terms.minAllocationDelaySeconds, params.minAllocationDelay)
    })

    it('shows every vault as the contract does: bond, pool, shares and share price', async () => {
      const vaults = await all('/v1/vaults?limit=2')
      assert.equal(vaults.length, 3)
      for (const op of fx.ops) {
        const v = vaults.find((x) => x.address === lower(op.vault))!
        const chain = await readVault(w, op.vault)
        assert.equal(v.operator, lower(op.operator.address))
        assert.equal(v.bond.base, chain.bondAssets.toString())
        assert.equal(v.poolAssets.base, chain.poolAssets.toString())
        assert.equal(v.pendingLiabilities.base, chain.pendingLiabilities.toString())
        assert.equal(v.totalShares.base, chain.totalSupply.toString())
        assert.equal(v.sharePrice.base, chain.sharePrice.toString())
        assert.equal(v.totalAllocated.base, chain.totalAllocated.toString())
        const one = await ok(`/v1/vaults/${op.vault.toUpperCase().replace('0X', '0x')}`)
        assert.deepEqual(one.data, v)
      }
    })

    it('pages without overlap or gaps, in the requested order, for every sort', async () => {
      for (const sort of ['created', 'bond', 'poolAssets', 'totalAllocated']) {
        for (const order of ['asc', 'desc']) {
          const paged = await all(`/v1/vaults?limit=1&sort=${sort}&order=${order}`)
          const whole = (await ok(`/v1/vaults?limit=500&sort=${sort}&order=${order}`)).data
          assert.deepEqual(
            paged.map((v) => v.address),
            whole.map((v: Json) => v.address),
            `${sort} ${order}`,
          )
          assert.equal(new Set(paged.map((v) => v.address)).size, 3)
        }
      }
      const bonds = (await ok('/v1/vaults?sort=poolAssets&order=asc')).data.map((v: Json) =>
        BigInt(v.poolAssets.base),
      )
      assert.deepEqual(
        bonds,
        [...bonds].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)),
      )
    })

    it("shows a vault's stakers and a staker's positions valued now", async () => {
      const stakers = (await ok(`/v1/vaults/${fx.ops[0]!.vault}/positions`)).data
      const addresses = stakers.map((p: Json) => p.staker)
      assert.ok(addresses.includes(lower(fx.staker.address)))
      assert.ok(addresses.includes(lower(fx.secondStaker)))
      const positions = await all(`/v1/stakers/${fx.staker.address}/positions`)
      assert.equal(positions.length, 3)
      for (const p of positions) {
        const shares = await w.public.readContract({
          address: p.vault as Address,
          abi: erc20Abi,
          functionName: 'balanceOf',
          args: [fx.staker.address],
        })
        assert.equal(p.shares.base, shares.toString(), p.vault)
        assert.ok(BigInt(p.value.base) > 0n)
      }
      assert.deepEqual((await ok(`/v1/stakers/0x${'0'.repeat(39)}9/positions`)).data, [])
    })

    it('shows queued withdrawals by staker and by vault', async () => {
      const mine = (await ok(`/v1/stakers/${fx.staker.address}/withdrawals`)).data
      assert.equal(mine.length, 1)
      assert.equal(mine[0].vault, lower(fx.withdrawalVault))
      assert.equal(mine[0].shares.base, parseEther('1000').toString())
      assert.equal(mine[0].claimed, false)
      assert.ok(mine[0].readyAt.unix > mine[0].requestedAt.unix)
      const byVault = (await ok(`/v1/vaults/${fx.withdrawalVault}/withdrawals?claimed=false`)).data
      assert.deepEqual(byVault, mine)
      assert.deepEqual((await ok(`/v1/vaults/${fx.withdrawalVault}/withdrawals?claimed=true`)).data, [])
    })

    it("keeps a vault's exchange-rate history", async () => {
      const rates = await all(`/v1/vaults/${fx.ops[0]!.vault}/rates?order=asc`)
      assert.ok(rates.length >= 2)
      const last = rates.at(-1)!
      const chain = await readVault(w, fx.ops[0]!.vault)
      assert.equal(last.poolAssets.base, chain.poolAssets.toString())
      assert.equal(last.sharePrice.base, chain.sharePrice.toString())
    })

    it('shows allocations with what open orders reserve', async () => {
      const list = (await ok(`/v1/allocations?vault=${fx.ops[0]!.vault}`)).data
      assert.equal(list.length, 1)
      assert.equal(list[0].serviceId, fx.svc.serviceId.toString())
      assert.equal(list[0].amount.base, parseEther('20000').toString())
      assert.ok(BigInt(list[0].reserved.base) > 0n, 'the accepted job reserves collateral')
      const one = await ok(`/v1/allocations/${fx.ops[0]!.vault}/${fx.svc.serviceId}`)
      assert.deepEqual(one.data, list[0])
      assert.equal((await ok(`/v1/allocations?service=${fx.svc.serviceId}`)).data.length, 3)
    })

    it("lists a service's attesters", async () => {
      const list = (await ok(`/v1/services/${fx.svc.serviceId}/attesters`)).data
      assert.equal(list.length, 5)
      assert.deepEqual(
        list.map((a: Json) => a.address).sort(),
        fx.svc.attesters.map((a) => lower(a.address)).sort(),
      )
      assert.ok(
        list.every((a: Json) => a.status === 'active' && a.bond.base === parseEther('1000').toString()),
      )
      const filtered = (
        await ok(`/v1/attesters?service=${fx.svc.serviceId}&address=${fx.svc.attesters[0]!.address}`)
      ).data
      assert.equal(filtered.length, 1)
    })

    it('lists orders with filters and shows one with its bids', async () => {
      const orders = (await ok('/v1/orders')).data
      assert.equal(orders.length, 2)
      assert.deepEqual(
        orders.map((o: Json) => o.id),
        [fx.intent.orderId.toString(), fx.job.orderId.toString()],
      )
      const active = (await ok('/v1/orders?status=Active')).data
      assert.equal(active.length, 1)
      assert.equal(active[0].id, fx.job.orderId.toString())
      assert.equal(active[0].vault, lower(fx.ops[0]!.vault))
      assert.equal(active[0].budget.units, '100')
      assert.equal(active[0].kind, 'job')
      const intent = (await ok(`/v1/orders/${fx.intent.orderId}`)).data
      assert.equal(intent.intent, true)
      assert.equal(intent.status, 'Open')
      assert.deepEqual(
        intent.bids.map((b: Json) => [b.vault, b.price.units]).sort(),
        [
          [lower(fx.ops[1]!.vault), '90'],
          [lower(fx.ops[2]!.vault), '80'],
        ].sort(),
      )
      assert.equal((await ok(`/v1/orders?client=${fx.otherClient.address}`)).data.length, 1)
    })

    it('shows a slash with its report, terms and status, and its incident', async () => {
      const list = (await ok('/v1/slashes?status=Pending')).data
      assert.equal(list.length, 1)
      const s = (await ok(`/v1/slashes/${fx.slashId}`)).data
      assert.equal(s.id, fx.slashId)
      assert.equal(s.vault, lower(fx.slashedVault))
      assert.equal(s.status, 'Pending')
      assert.equal(s.incidentId, fx.incidentId)
      assert.deepEqual(
        [...s.report.signers].sort(),
        fx.svc.attesters
          .slice(0, 3)
          .map((a) => lower(a.address))
          .sort(),
      )
      assert.equal(s.execution, null)
      assert.ok(BigInt(s.amount.base) > 0n)
      const incident = (await ok(`/v1/incidents/${fx.incidentId}`)).data
      assert.equal(incident.slashes.length, 1)
      assert.equal(incident.requestedAmount.base, s.requestedAmount.base)
      assert.deepEqual(incident.statuses, { Pending: 1 })
      assert.equal((await ok('/v1/incidents')).data.length, 1)
      assert.equal((await ok(`/v1/slashes?vault=${fx.ops[0]!.vault}`)).data.length, 0)
    })

    it('lists reward flows: the fee added to the service', async () => {
      const fees = (await ok('/v1/rewards?kind=fee')).data
      assert.equal(fees.length, 1)
      assert.equal(fees[0].amount.base, fx.feeAmount.toString())
      assert.equal(fees[0].serviceId, fx.svc.serviceId.toString())
    })

    it('lists credits by account: none where no token refused a payout', async () => {
      assert.deepEqual((await ok('/v1/credits')).data, [])
      assert.deepEqual((await ok(`/v1/credits?account=${fx.client.address}&kind=credit`)).data, [])
    })

    it('lists raw events with filters', async () => {
      const slashEvents = (await ok('/v1/events?name=SlashRequested')).data
      assert.equal(slashEvents.length, 1)
      assert.equal(slashEvents[0].args.slashId, fx.slashId)
      const asc = await all('/v1/events?order=asc&limit=100')
      for (let i = 1; i < asc.length; i++) {
        const [a, b] = [asc[i - 1]!, asc[i]!]
        assert.ok(
          a.block.number < b.block.number || (a.block.number === b.block.number && a.logIndex < b.logIndex),
        )
      }
    })

    it('serves the same answer from its cache until the index moves', async () => {
      const first = await get('/v1/vaults?limit=3')
      const second = await get('/v1/vaults?limit=3')
      assert.equal(second.headers['x-cache'], 'hit')
      assert.deepEqual(second.body, first.body)
    })

    it('answers /health, /ready (caught up) and /metrics', async () => {
      assert.deepEqual(await ok('/health'), { ok: true })
      const ready = await ok('/ready')
      assert.equal(ready.ready, true)
      assert.equal(ready.finalityDepth, FINALITY)
      const metrics = await app().inject('/metrics')
      assert.equal(metrics.statusCode, 200)
      assert.match(metrics.body, /surety_api_requests_total\{route="\/v1\/vaults",status="200"\} \d+/)
      assert.match(metrics.body, /surety_api_indexed_block \d+/)
    })

    it('publishes an OpenAPI 3.1 document naming every route', async () => {
      const doc = await ok('/openapi.json')
      assert.equal(doc.openapi, '3.1.0')
      for (const path of [
        '/v1/services/{id}',
        '/v1/vaults/{address}',
        '/v1/stakers/{address}/positions',
        '/v1/allocations',
        '/v1/attesters',
        '/v1/orders/{id}',
        '/v1/slashes/{id}',
        '/v1/incidents',
        '/v1/rewards',
        '/v1/credits',
        '/v1/network',
        '/v1/stream',
        '/ready',
      ])
        assert.ok(doc.paths[path]?.get, path)
      const limit = doc.paths['/v1/vaults'].get.parameters.find((p: Json) => p.name === 'limit')
      assert.equal(limit.schema.maximum, 500)
    })
  })
}

/** Bad inputs and unknown ids: the status and the message that names the problem (never a 500). */
const BAD: [url: string, status: number, message: RegExp][] = [
  ['/v1/vaults/0x12', 400, /path parameter 'address' must be an EVM address/],
  [
    '/v1/vaults/0xZZ00000000000000000000000000000000000000',
    400,
    /path parameter 'address' must be an EVM address/,
  ],
  [`/v1/vaults/0x${'7'.repeat(40)}`, 404, /no vault 0x7{40} is indexed/],
  ['/v1/vaults?limit=0', 400, /query parameter 'limit' must be >= 1/],
  ['/v1/vaults?limit=501', 400, /query parameter 'limit' must be <= 500/],
  ['/v1/vaults?limit=ten', 400, /query parameter 'limit' must be integer/],
  [
    '/v1/vaults?sort=size',
    400,
    /query parameter 'sort' must be one of created, bond, poolAssets, totalAllocated/,
  ],
  ['/v1/vaults?order=up', 400, /query parameter 'order' must be one of asc, desc/],
  ['/v1/vaults?operater=0x1', 400, /unknown query parameter 'operater'/],
  ['/v1/vaults?cursor=%25%25%25', 400, /query parameter 'cursor' is not a cursor this API made/],
  ['/v1/vaults?cursor=WyJib25kIiwiMSIsIngiXQ', 400, /made for sort 'bond', not 'created'/],
  ['/v1/services/abc', 400, /path parameter 'id' must be a decimal integer id/],
  ['/v1/services/999', 404, /no service 999 is indexed/],
  ['/v1/services/99999999999999999999', 404, /no service 99999999999999999999 is indexed/],
  ['/v1/services/999/attesters', 404, /no service 999 is indexed/],
  ['/v1/orders/123456', 404, /no order 123456 is indexed/],
  [
    '/v1/orders?status=Lost',
    400,
    /query parameter 'status' must be one of Open, Active, Completed, Failed, Cancelled/,
  ],
  ['/v1/orders?client=nobody', 400, /query parameter 'client' must be an EVM address/],
  [`/v1/slashes/0x${'1'.repeat(64)}`, 404, /no slash 0x1{64} is indexed/],
  ['/v1/slashes/0x1234', 400, /path parameter 'id' must be 32 bytes/],
  ['/v1/slashes?status=pending', 400, /query parameter 'status' must be one of Pending, Disputed/],
  [`/v1/incidents/0x${'2'.repeat(64)}`, 404, /no incident 0x2{64} is indexed/],
  [`/v1/allocations/0x${'3'.repeat(40)}/1`, 404, /has no allocation to service 1/],
  ['/v1/attesters?status=sleeping', 400, /query parameter 'status' must be one of approval-queued, active/],
  ['/v1/rewards?kind=bonus', 400, /query parameter 'kind' must be one of distributed, fee/],
  ['/v1/credits?kind=debt', 400, /query parameter 'kind' must be one of credit, owed/],
  ['/v1/credits?account=nobody', 400, /query parameter 'account' must be an EVM address/],
  ['/v1/events?fromBlock=-1', 400, /query parameter 'fromBlock' must be >= 0/],
  ['/v1/stream?from=yesterday', 400, /query parameter 'from' 'yesterday' is not a stream cursor/],
  ['/v1/stream?flavour=1', 400, /unknown query parameter 'flavour'/],
  ['/v2/vaults', 404, /no route GET \/v2\/vaults/],
]

for (const name of ['sqlite', 'postgres'] as const) {
  describe(`bad inputs on ${name}`, () => {
    for (const [url, status, message] of BAD) {
      it(`${url} → ${status}`, async () => {
        const r = await served.get(name)!.app.inject({ method: 'GET', url })
        assert.equal(r.statusCode, status, r.body)
        const body = r.json() as Json
        assert.deepEqual(Object.keys(body), ['error'])
        assert.equal(body.error.code, status === 404 ? 'NOT_FOUND' : 'BAD_REQUEST')
        assert.match(body.error.message, message)
      })
    }
    it('a Last-Event-ID that is not a cursor is refused before the stream opens', async () => {
      const r = await served.get(name)!.app.inject({
        method: 'GET',
        url: '/v1/stream',
        headers: { 'last-event-id': 'banana' },
      })
      assert.equal(r.statusCode, 400)
      assert.match(r.json().error.message, /header Last-Event-ID 'banana' is not a stream cursor/)
    })
  })
}
