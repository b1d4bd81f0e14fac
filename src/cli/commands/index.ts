import { indexCommand } from '../../indexer/cli/indexCommand.ts'
import { verifyCommand } from '../../indexer/cli/verifyCommand.ts'
import type { Command } from '../main.ts'

const usage = `Usage:
  surety index --rpc-url URL [--database URL] [--schema NAME] [--from-block N] [--deployment FILE]
               [--finality-depth N] [--batch-blocks N] [--json]
  surety index verify --rpc-url URL [--database URL] [--schema NAME] [--deployment FILE] [--json]

Indexes every event of a Surety deployment into SQLite (default .surety/indexer-<chainId>.sqlite) or PostgreSQL
(--database postgres://… or DATABASE_URL; --schema NAME, default surety, so several indexers share one database)
and follows the chain until stopped. Blocks deeper than --finality-depth (default 12) are final; a reorg deeper
than that stops the indexer without changing the index. The deployment manifest defaults to
.surety/deployments/<chainId>.json; --from-block defaults to its deployment block.

verify compares the indexed vaults, allocations, pending slashes, open orders, services and attesters with the
contracts' own views at the block the index reflects, prints each difference and exits 1 if there is any.
See docs/indexer.md.`

export const command: Command = {
  summary: 'index a deployment into SQLite or PostgreSQL; `index verify` checks it against the chain',
  usage,
  run: (args) => (args[0] === 'verify' ? verifyCommand(args.slice(1)) : indexCommand(args)),
}
