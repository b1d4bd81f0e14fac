/** The slash a subcommand acts on: its id checked against the court, its details, and the chain's clock. */

import { requireSlash } from '../../lib/chain.ts'
import type { Session } from '../../lib/command.ts'
import { parseBytes32 } from '../../lib/options.ts'

export async function slashTarget(s: Session) {
  const id = parseBytes32('SLASH_ID', s.positionals[0])
  const [slash, now] = await Promise.all([requireSlash(s.ctx, id), s.ctx.now()])
  return { id, slash, now }
}

export const checkSlashId = (_: unknown, positionals: string[]) => {
  parseBytes32('SLASH_ID', positionals[0])
}
