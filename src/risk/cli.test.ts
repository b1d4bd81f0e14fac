import assert from 'node:assert/strict'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, test } from 'node:test'
import { command } from '../cli/commands/risk.ts'
import { InvalidInputError, SuretyError } from '../errors.ts'

/** Runs the command with console.log captured. */
async function run(args: string[]): Promise<{ code: unknown; out: string }> {
  const lines: string[] = []
  const log = console.log
  console.log = (...xs: unknown[]) => lines.push(xs.join(' '))
  try {
    const code = await command.run(args)
    return { code, out: lines.join('\n') }
  } finally {
    console.log = log
  }
}

const dir = mkdtempSync(join(tmpdir(), 'surety-risk-'))
const paper = join(dir, 'paper.json')
writeFileSync(
  paper,
  JSON.stringify({
    operators: [
      { id: 'a', stake: 0.1 },
      { id: 'b', stake: 0.9 },
    ],
    services: [{ id: 's', profit: 1, threshold: 1, operators: ['a', 'b'] }],
  }),
)

describe('surety risk', () => {
  test('analyze --json reports the paper network as secure with slack 0', async () => {
    const { code, out } = await run(['analyze', '--input', paper, '--json'])
    assert.equal(code, 0)
    const r = JSON.parse(out)
    assert.equal(r.secure, true)
    assert.equal(r.verdictProven, true)
    assert.equal(r.attack, null)
    assert.equal(r.slack, 0)
    assert.deepEqual(r.nakamoto, { third: 1, half: 1, twoThirds: 1 })
    assert.equal(r.services[0].allocatedStake, '1')
    assert.equal(r.services[0].leverage, 1)
  })

  test('cascade --json gives R_ψ = 1 for a 10% shock on the paper network', async () => {
    const r = JSON.parse((await run(['cascade', '--input', paper, '--shock', '0.1', '--json'])).out)
    assert.equal(r.worstLoss, 1)
    assert.equal(r.worstLossExact, '1')
    // two operators: searched exhaustively in bigint (smallCascade.ts), so exact rather than the solver's
    assert.equal(r.provenExact, true)
    assert.deepEqual(r.shock, { operators: ['a'], stake: '0.1' })
    assert.equal(r.attack.cost, '0.9')
    assert.equal(r.bound, null)
  })

  test('prints human text by default', async () => {
    const { out } = await run(['analyze', '--input', paper])
    assert.match(out, /^SECURE/)
    assert.match(out, /certified slack γ: 0\.0000/)
  })

  test('an insecure network is told why: what the service secures against the stake that can take it', async () => {
    // the old demo world's shape: 250,000 declared on a service that two operators secure with 100,000 each
    const insecure = join(dir, 'insecure.json')
    writeFileSync(
      insecure,
      JSON.stringify({
        operators: [
          { id: 'op1', stake: 210_000 },
          { id: 'op2', stake: 210_000 },
        ],
        services: [{ id: '1', profit: 250_000, threshold: 0.5, operators: ['op1', 'op2'] }],
        allocations: [
          { operator: 'op1', service: '1', stake: 100_000 },
          { operator: 'op2', service: '1', stake: 100_000 },
        ],
      }),
    )
    const { out } = await run(['analyze', '--input', insecure])
    assert.match(out, /^INSECURE/)
    assert.match(
      out,
      /why: corrupting 1 pays 250,000, while the operators who can do it forfeit only 100,000 of stake/,
    )
    assert.match(out, /service 1 secures 250,000 with 200,000 of stake allocated to it \(leverage 1\.25\)/)
    assert.match(out, /fix: more stake allocated/)
  })

  test('bond prints the collateral and its reasoning', async () => {
    const { out } = await run(['bond', '--value', '100', '--detection', '0.3', '--slash', '0.5'])
    assert.match(out, /^collateral: 666\.67/)
    assert.match(out, /p = 30%/)
  })

  test('rejects missing or bad options with the option named', async () => {
    await assert.rejects(
      run(['analyze']),
      (e: unknown) => e instanceof InvalidInputError && /--input/.test(e.message),
    )
    await assert.rejects(
      run(['cascade', '--input', paper]),
      (e: unknown) => e instanceof InvalidInputError && /--shock/.test(e.message),
    )
    await assert.rejects(
      run(['cascade', '--input', paper, '--shock', '1.5']),
      (e: unknown) => e instanceof InvalidInputError && /--shock/.test(e.message),
    )
    await assert.rejects(run(['analyze', '--input', paper, '--bogus']), InvalidInputError)
    await assert.rejects(run(['analyze', '--input', join(dir, 'missing.json')]), /cannot read/)
  })

  test('snapshot names the missing deployment manifest instead of guessing addresses', async () => {
    await assert.rejects(
      run(['snapshot', '--rpc', 'http://127.0.0.1:1', '--deployment', join(dir, 'missing.json')]),
      (e: unknown) => e instanceof SuretyError && /no deployment manifest at .*missing\.json/.test(e.message),
    )
  })

  test('an unknown subcommand exits 2', async () => {
    const err = console.error
    console.error = () => {}
    try {
      assert.equal((await run(['frobnicate'])).code, 2)
    } finally {
      console.error = err
    }
  })

  test('tells a person at a terminal how long it may search, and says nothing into a pipe', async () => {
    const said: string[] = []
    const write = process.stderr.write
    const tty = process.stderr.isTTY
    process.stderr.write = ((chunk: string) => said.push(String(chunk)) > 0) as typeof process.stderr.write
    try {
      process.stderr.isTTY = true
      await run(['cascade', '--input', paper, '--shock', '0.1', '--time-limit', '7'])
      process.stderr.isTTY = false
      await run(['analyze', '--input', paper, '--json'])
    } finally {
      process.stderr.write = write
      process.stderr.isTTY = tty
    }
    assert.equal(said.length, 1, said.join(''))
    assert.match(said[0] ?? '', /up to 7 s each \(--time-limit to change\)/)
  })
})
