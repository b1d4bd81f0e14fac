/** The node's store: one SQLite database, one repository per concern. */
import { chainRepo } from '../../indexer/follower/eventRepo.ts'
import { type Db, openDb } from './db.ts'
import { measureRepo } from './measureRepo.ts'
import { outcomeRepo } from './outcomeRepo.ts'
import { reportRepo } from './reportRepo.ts'
import { telemetryRepo } from './telemetryRepo.ts'
import { txRepo } from './txRepo.ts'

export function openStore(path: string) {
  const db: Db = openDb(path)
  return {
    db,
    chain: chainRepo(db),
    measure: measureRepo(db),
    reports: reportRepo(db),
    outcomes: outcomeRepo(db),
    txs: txRepo(db),
    telemetry: telemetryRepo(db),
    /** Runs `fn` in one transaction: all of its writes land, or none. */
    transaction: <T>(fn: () => T): T => db.transaction(fn)(),
    close: () => db.close(),
  }
}

export type Store = ReturnType<typeof openStore>
