import { beginRead } from '../../lib/command.ts'
import type { Sub } from '../../lib/group.ts'
import { printJson } from '../../lib/json.ts'
import { classRef, serviceRef } from '../../lib/labels.ts'
import { CONNECTION_HELP } from '../../lib/options.ts'
import { sourceLine } from '../../lib/readSource.ts'
import { percent } from '../../lib/table.ts'
import { date, duration } from '../../lib/time.ts'
import { formatToken } from '../../lib/units.ts'
import { nextStep } from './clock.ts'
import { slashToRead } from './target.ts'

export const sub: Sub = {
  summary: 'one slash: who, how much, to whom, and what happens next',
  usage: `SLASH_ID

${CONNECTION_HELP}`,
  async run(args) {
    const s = await beginRead('slash show', args)
    const { slash, now, source } = await slashToRead(s)
    if (s.json) return void printJson(slash)
    const d = slash.details
    const t = (x: bigint) => formatToken(x, s.ctx.stake)
    const orderSlash = BigInt(d.incidentId) >> 255n === 1n
    console.log(`Slash ${slash.slashId}: ${slash.status}`)
    console.log(
      `  ${t(d.amount)} from vault ${d.vault} on service ${serviceRef(s.ctx, d.serviceId)}, class ${classRef(s.ctx, d.serviceId, d.classId)}`,
    )
    console.log(
      `  incident ${orderSlash ? `order #${BigInt(d.incidentId) & ((1n << 255n) - 1n)} failed` : d.incidentId}; requested ${date(d.requestedAt)} by ${d.reporter}`,
    )
    console.log(
      `  pays ${percent(d.clientShareBps)} to the client ${d.client}, ${percent(d.reporterShareBps)} to the reporter, the rest to ${d.sink}`,
    )
    if (d.jailDuration > 0 || d.permanentBan)
      console.log(
        `  once executed, it ${d.permanentBan ? 'bans the operator from the service for good' : `jails the operator for ${duration(d.jailDuration)}`}`,
      )
    console.log(
      `  dispute bond ${t(d.disputeBond)}; the resolver has ${duration(d.resolutionDeadline)} to rule on a dispute`,
    )
    const x = slash.execution
    if (x)
      console.log(
        `  executed: ${t(x.fromBond + x.fromPool)} taken (bond ${t(x.fromBond)}, pool ${t(x.fromPool)}); the client was paid ${t(x.toClient)}, the reporter ${t(x.toReporter)}, the sink ${t(x.toSink)}`,
      )
    console.log(`  next: ${nextStep(slash, now)}`)
    if (source) console.log(sourceLine(source))
  },
}
