import assert from 'node:assert/strict'
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, test } from 'node:test'
import { command } from '../../cli/commands/sim.ts'
import { InvalidInputError } from '../../errors.ts'

async function run(args: string[]): Promise<string> {
  const lines: string[] = []
  const log = console.log
  console.log = (...xs: unknown[]) => lines.push(xs.join(' '))
  try {
    await command.run(args)
    return lines.join('\n')
  } finally {
    console.log = log
  }
}

describe('surety sim', () => {
  const dir = mkdtempSync(join(tmpdir(), 'surety-sim-'))
  const scenario = join(dir, 'scenario.json')
  writeFileSync(scenario, JSON.stringify({ operators: { count: 30 } }))

  test('writes the series and charts, and reports the same summary for the same seed', async () => {
    const out = join(dir, 'out')
    const args = [
      '--scenario',
      scenario,
      '--epochs',
      '200',
      '--seed',
      '1',
      '--runs',
      '3',
      '--workers',
      '0',
      '--json',
    ]
    const first = JSON.parse(await run([...args, '--out', out]))
    const second = JSON.parse(await run(args))
    assert.deepEqual(first.summary, second.summary)
    assert.equal(first.summary.runs, 3)
    for (const f of [
      'series.csv',
      'series.json',
      'stake.svg',
      'slashed.svg',
      'clientLosses.svg',
      'stakerYield.svg',
    ]) {
      assert.ok(existsSync(join(out, f)), f)
    }
    assert.equal(JSON.parse(readFileSync(join(out, 'series.json'), 'utf8')).series.stake.p50.length, 200)
  })

  test('rejects missing options by name', async () => {
    await assert.rejects(
      run(['--epochs', '10', '--seed', '1']),
      (e: unknown) => e instanceof InvalidInputError && /--scenario/.test(e.message),
    )
    await assert.rejects(run(['--scenario', scenario, '--seed', '1']), /--epochs/)
    await assert.rejects(
      run(['--scenario', scenario, '--epochs', '0', '--seed', '1']),
      /--epochs must be an integer/,
    )
  })
})
