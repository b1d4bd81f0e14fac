/**
 * The world's risk view: a snapshot of the live deployment (the same one `surety risk snapshot` takes), its
 * certified slack γ (the paper's sufficient condition, cheap), and — when γ no longer proves security — the exact
 * most profitable attack from the solver, named in the world's words.
 */
import { analyzeNetwork } from '../risk/analyze.ts'
import { parseRiskInput } from '../risk/input.ts'
import { toNumber } from '../risk/rational.ts'
import { certifiedSlack } from '../risk/slack.ts'
import { snapshotFromRpc } from '../risk/snapshotRpc.ts'
import type { SuretyAddresses } from '../sdk/types.ts'
import { tokens } from './story.ts'

export type RiskLine = { secure: boolean; gamma: number | null; text: string }

export async function worldRisk(
  rpcUrl: string,
  addresses: SuretyAddresses,
  name: (operatorAddress: string) => string,
  serviceName: (id: string) => string,
): Promise<RiskLine> {
  const input = await snapshotFromRpc({ rpcUrl, chainId: 31337, addresses })
  const network = parseRiskInput(input)
  const slack = certifiedSlack(network)
  const gamma = slack === null ? null : toNumber(slack)
  // The sign from the exact γ: the certificate is a bigint comparison, not a float's.
  if (gamma === null || slack === null || slack.num >= 0n)
    return {
      secure: true,
      gamma,
      text: `risk: SECURE — certified slack γ = ${gamma === null ? '∞' : gamma.toFixed(3)} (no coalition of operators profits from corrupting any service)`,
    }
  const report = await analyzeNetwork(network, { timeLimitSeconds: 10 })
  const a = report.attack
  if (!a)
    return {
      secure: report.secure !== false,
      gamma,
      text: `risk: γ = ${gamma.toFixed(3)} no longer proves security, but the solver finds no profitable attack`,
    }
  return {
    secure: false,
    gamma,
    text: `risk: INSECURE (γ = ${gamma.toFixed(3)}) — operators ${a.operators.map(name).join(', ')} could corrupt ${a.services.map(serviceName).join(', ')}: ${tokens(a.profit)} to take for ${tokens(a.cost)} of stake forfeited`,
  }
}
