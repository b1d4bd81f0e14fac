/**
 * `surety slash report` — an attester signs a report (EIP-712) into a file; whoever gathers a quorum of those files
 * checks and submits them. Signatures travel as files (mail, chat, a shared folder): no peer network is needed.
 */
import { readFileSync, writeFileSync } from 'node:fs'
import type { Hex } from 'viem'
import { z } from 'zod'
import { InvalidInputError } from '../../../errors.ts'
import { slashingCourtAbi } from '../../../sdk/abis.ts'
import {
  incidentIdFor,
  orderSignatures,
  type ReportDomain,
  requestSlash,
  type SignedReport,
  signReport,
  verifyReport,
} from '../../../sdk/index.ts'
import type { SlashReport } from '../../../sdk/types.ts'
import { requireService, requireVault } from '../../lib/chain.ts'
import { beginWrite, type WriteSession, write } from '../../lib/command.ts'
import type { Sub } from '../../lib/group.ts'
import { toJson } from '../../lib/json.ts'
import { CONNECTION_HELP, parseAddress, parseId, SIGNER_HELP, str } from '../../lib/options.ts'
import { plural } from '../../lib/table.ts'
import { when } from '../../lib/time.ts'
import { formatToken } from '../../lib/units.ts'
import { attesterInfo } from '../attester/info.ts'
import { readService } from '../service/read.ts'

export const sub: Sub = {
  summary:
    'sign a slash report as an attester (--out FILE), or submit a quorum of signed files (--signatures)',
  usage: `(--service ID --vault ADDRESS --class N --incident LABEL|0xID --client ADDRESS --out FILE)
                   | --signatures FILE[,FILE…]

Signing: an attester of the service signs the report with its key and writes it to FILE; nothing is sent. The
incident is a label both sides agree on (its hash is the id; e.g. "gpu-1 down 2026-12-06T10:00Z") or a 32-byte id.
--client is who was harmed (it receives the client share of the slash).

Submitting: anyone gathers the signed files (--signatures a.json,b.json,c.json or the option repeated), which must
all sign the same report on this chain and court; each signature is checked, the signers must be attesters of
the service holding a quorum of its bond, and the report is submitted: the slash's amount is fixed now and the
operator's dispute window opens.

${CONNECTION_HELP}

${SIGNER_HELP}`,
  async run(args) {
    const s = await beginWrite(
      'slash report',
      args,
      {
        service: { type: 'string' },
        vault: { type: 'string' },
        class: { type: 'string' },
        incident: { type: 'string' },
        client: { type: 'string' },
        out: { type: 'string' },
        signatures: { type: 'string', multiple: true },
      },
      (v) => {
        const sign = v.out !== undefined
        const submit = v.signatures !== undefined
        if (sign === submit)
          throw new InvalidInputError(
            'give --out FILE to sign a report, or --signatures FILES to submit signed ones',
          )
        if (sign) reportFromOptions(v)
      },
    )
    const domain: ReportDomain = { chainId: s.ctx.chainId, court: s.ctx.deployment.addresses.court }
    if (s.values.out !== undefined) return sign(s, domain)
    return submit(s, domain)
  },
}

function reportFromOptions(v: Record<string, unknown>): SlashReport {
  const incident = str(v, 'incident')
  if (!incident) throw new InvalidInputError('--incident LABEL (or a 32-byte 0x id) is required')
  const classText = str(v, 'class')
  if (classText === undefined || !/^[0-9]{1,2}$/.test(classText))
    throw new InvalidInputError(
      `--class must be the violation class number (0, 1, …), got '${classText ?? ''}'`,
    )
  return {
    serviceId: parseId('--service', str(v, 'service')),
    vault: parseAddress('--vault', str(v, 'vault')),
    classId: Number(classText),
    incidentId: /^0x[0-9a-fA-F]{64}$/.test(incident)
      ? (incident.toLowerCase() as Hex)
      : incidentIdFor(incident),
    client: parseAddress('--client', str(v, 'client')),
  }
}

async function sign(s: WriteSession, domain: ReportDomain) {
  const report = reportFromOptions(s.values)
  await requireService(s.ctx, report.serviceId)
  await requireVault(s.ctx, report.vault)
  const service = await readService(s.ctx, report.serviceId)
  if (report.classId >= service.classes.length)
    throw new InvalidInputError(
      `service #${report.serviceId} has ${plural(service.classes.length, 'violation class', 'violation classes')} (0 to ${service.classes.length - 1}): no class ${report.classId}`,
    )
  const info = await attesterInfo(s.ctx, report.serviceId, s.account.address)
  if (!info.active)
    throw new InvalidInputError(
      `${s.account.address} is not an active attester of service #${report.serviceId}: its signature would not count`,
    )
  const signed = await signReport(s.account, domain, report)
  const file = {
    kind: 'surety-slash-report',
    chainId: domain.chainId,
    court: domain.court,
    report,
    ...signed,
  }
  const out = str(s.values, 'out')!
  writeFileSync(out, `${toJson(file)}\n`)
  if (s.json) console.log(toJson(file))
  else {
    console.log(
      `signed the report as attester ${s.account.address} (bond ${formatToken(info.bond, s.ctx.stake)}) into ${out}:`,
    )
    console.log(
      `  service #${report.serviceId}, vault ${report.vault}, class ${report.classId}, incident ${report.incidentId}, client ${report.client}`,
    )
    console.log('  nothing was sent: pass the files of a quorum to `surety slash report --signatures`')
  }
}

const signedFileSchema = z.object({
  kind: z.literal('surety-slash-report'),
  chainId: z.number(),
  court: z.string(),
  report: z.object({
    serviceId: z.union([z.string(), z.number()]),
    vault: z.string(),
    classId: z.number().int().min(0).max(255),
    incidentId: z.string().regex(/^0x[0-9a-fA-F]{64}$/),
    client: z.string(),
  }),
  signer: z.string(),
  signature: z.string().regex(/^0x[0-9a-fA-F]+$/),
})

function readSigned(path: string) {
  let raw: unknown
  try {
    raw = JSON.parse(readFileSync(path, 'utf8'))
  } catch {
    throw new InvalidInputError(
      `--signatures: cannot read ${path} as JSON (it should be a file written by \`surety slash report --out\`)`,
    )
  }
  const parsed = signedFileSchema.safeParse(raw)
  if (!parsed.success)
    throw new InvalidInputError(
      `--signatures: ${path} is not a signed report (${parsed.error.issues[0]!.path.join('.')}: ${parsed.error.issues[0]!.message})`,
    )
  const f = parsed.data
  const report: SlashReport = {
    serviceId: BigInt(f.report.serviceId),
    vault: parseAddress(`${path}: report.vault`, f.report.vault),
    classId: f.report.classId,
    incidentId: f.report.incidentId.toLowerCase() as Hex,
    client: parseAddress(`${path}: report.client`, f.report.client),
  }
  return {
    path,
    chainId: f.chainId,
    court: f.court,
    report,
    signed: { signer: parseAddress(`${path}: signer`, f.signer), signature: f.signature as Hex },
  }
}

const sameReport = (a: SlashReport, b: SlashReport) =>
  a.serviceId === b.serviceId &&
  a.vault.toLowerCase() === b.vault.toLowerCase() &&
  a.classId === b.classId &&
  a.incidentId === b.incidentId &&
  a.client.toLowerCase() === b.client.toLowerCase()

async function submit(s: WriteSession, domain: ReportDomain) {
  const paths = (s.values.signatures as string[]).flatMap((p) => p.split(',')).filter(Boolean)
  const files = paths.map(readSigned)
  const report = files[0]!.report
  for (const f of files) {
    if (f.chainId !== domain.chainId || f.court.toLowerCase() !== domain.court.toLowerCase())
      throw new InvalidInputError(
        `${f.path} was signed for chain ${f.chainId} and court ${f.court}, not this deployment (chain ${domain.chainId}, court ${domain.court})`,
      )
    if (!sameReport(f.report, report))
      throw new InvalidInputError(
        `${f.path} signs a different report than ${files[0]!.path}: every file must sign the same one`,
      )
    if (!(await verifyReport(domain, f.report, f.signed)))
      throw new InvalidInputError(
        `${f.path}: the signature is not ${f.signed.signer}'s signature of this report (altered or damaged)`,
      )
  }
  await requireService(s.ctx, report.serviceId)
  await requireVault(s.ctx, report.vault)
  const signed: SignedReport[] = files.map((f) => f.signed)
  orderSignatures(signed) // duplicates are refused with the signer's address
  const service = await readService(s.ctx, report.serviceId)
  const members = new Map(service.committee.map((m) => [m.attester.toLowerCase(), m.bond]))
  for (const f of files)
    if (!members.has(f.signed.signer.toLowerCase()))
      throw new InvalidInputError(
        `${f.path}: ${f.signed.signer} is not an active attester of service #${report.serviceId}: its signature does not count`,
      )
  const total = service.committee.reduce((sum, m) => sum + m.bond, 0n)
  const signedBond = files.reduce((sum, f) => sum + members.get(f.signed.signer.toLowerCase())!, 0n)
  const t = (x: bigint) => formatToken(x, s.ctx.stake)
  const now = await s.ctx.now()
  await write(
    s,
    {
      explain: [
        `submit a report against vault ${report.vault} on service #${report.serviceId}, class ${report.classId}, incident ${report.incidentId.slice(0, 10)}…:`,
        `  signed by ${files.length} of ${service.committee.length} attesters holding ${t(signedBond)} of ${t(total)} bond (quorum ${service.params.quorumBps / 100}%)`,
        `  the slash amount is fixed now; the operator may dispute until ${when(now + BigInt(service.params.disputeWindow), now)}`,
      ],
      call: {
        address: s.ctx.deployment.addresses.court,
        abi: slashingCourtAbi,
        functionName: 'requestSlash',
        args: [report, orderSignatures(signed)],
      },
      send: () => requestSlash(s.client, { report, signatures: signed }),
    },
    (r) => [
      `slash ${r.slashId} requested: ${t(r.details.amount)} from vault ${report.vault}`,
      `  the operator may dispute until ${when(r.disputeEnd, now)}; then anyone executes it: surety slash execute ${r.slashId}`,
    ],
  )
}
