/** The slash a subcommand acts on: its id checked against the court, its details, and the chain's clock. */

import { requireSlash } from '../../lib/chain.ts'
import type { Session } from '../../lib/command.ts'
import { parseBytes32 } from '../../lib/options.ts'
import { chooseSource } from '../../lib/readSource.ts'
import { slashFromApiById } from './fromApi.ts'

export async function slashTarget(s: Session) {
  const id = parseBytes32('SLASH_ID', s.positionals[0])
  const [slash, now] = await Promise.all([requireSlash(s.ctx, id), s.ctx.now()])
  return { id, slash, now }
}

/**
 * The same for a read: from the API when one is chosen and indexes the slash (the source comes back with it, for
 * the line that names it), else from the chain (a slash requested since the indexed block is not lost).
 */
export async function slashToRead(s: Session) {
  const id = parseBytes32('SLASH_ID', s.positionals[0])
  const source = await chooseSource(s.ctx, s.values)
  const [fromApi, now] = await Promise.all([source ? slashFromApiById(source, id) : undefined, s.ctx.now()])
  if (fromApi) return { id, slash: fromApi, now, source }
  return { id, slash: await requireSlash(s.ctx, id), now, source: undefined }
}

export const checkSlashId = (_: unknown, positionals: string[]) => {
  parseBytes32('SLASH_ID', positionals[0])
}
