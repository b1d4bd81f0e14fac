/**
 * The node's durable state in one SQLite file (better-sqlite3: synchronous, so a multi-statement change is one
 * transaction with no await inside it that another duty could interleave with). WAL mode lets /metrics and the
 * HTTP handlers read while a duty writes; `synchronous = FULL` makes every committed transaction survive a power
 * loss, not only a process kill, which is what "never submit twice" rests on.
 */
import { mkdirSync } from 'node:fs'
import { dirname } from 'node:path'
import Database from 'better-sqlite3'
import { SuretyError } from '../../errors.ts'

export type Db = Database.Database

const MIGRATIONS: string[] = [
  `
  CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
  -- hashes of processed blocks (sparse: batch ends and blocks with events), to find the fork point of a reorg
  CREATE TABLE blocks (number INTEGER PRIMARY KEY, hash TEXT NOT NULL);
  -- confirmed contract events; derived views (open slashes) are folds over these, so a reorg is a DELETE
  CREATE TABLE chain_events (
    block_number INTEGER NOT NULL, log_index INTEGER NOT NULL, block_hash TEXT NOT NULL, tx_hash TEXT NOT NULL,
    name TEXT NOT NULL, slash_id TEXT, vault TEXT, data TEXT NOT NULL,
    PRIMARY KEY (block_number, log_index)
  );
  CREATE INDEX chain_events_slash ON chain_events (slash_id, block_number, log_index);
  -- probe results per operator and epoch, aggregated (a row per probe would be 8.6 million rows a day at 1,000
  -- operators every 10 s); latencies are kept for the quantile
  CREATE TABLE epoch_samples (
    service_id TEXT NOT NULL, vault TEXT NOT NULL, epoch INTEGER NOT NULL,
    samples INTEGER NOT NULL, ok INTEGER NOT NULL, latencies TEXT NOT NULL,
    PRIMARY KEY (service_id, vault, epoch)
  );
  -- final verdicts: a subject judged once is never judged again, even after a restart
  CREATE TABLE verdicts (
    subject TEXT PRIMARY KEY, kind TEXT NOT NULL, verdict TEXT NOT NULL, detail TEXT NOT NULL, judged_at INTEGER NOT NULL
  );
  CREATE TABLE reports (
    digest TEXT PRIMARY KEY, slash_id TEXT NOT NULL, service_id TEXT NOT NULL, vault TEXT NOT NULL,
    class_id INTEGER NOT NULL, incident_id TEXT NOT NULL, client TEXT NOT NULL, kind TEXT NOT NULL, subject TEXT NOT NULL,
    own TEXT NOT NULL, state TEXT NOT NULL, reason TEXT, tx_id INTEGER,
    created_at INTEGER NOT NULL, updated_at INTEGER NOT NULL
  );
  CREATE INDEX reports_state ON reports (state);
  CREATE INDEX reports_slash ON reports (slash_id);
  CREATE TABLE signatures (
    digest TEXT NOT NULL, signer TEXT NOT NULL, signature TEXT NOT NULL, received_at INTEGER NOT NULL,
    PRIMARY KEY (digest, signer)
  );
  -- the transaction journal: a transaction is signed and written here before it is broadcast, so a node killed
  -- in between rebroadcasts the same bytes (same nonce) instead of sending a second transaction
  CREATE TABLE txs (
    id INTEGER PRIMARY KEY AUTOINCREMENT, task TEXT NOT NULL, purpose TEXT NOT NULL, nonce INTEGER NOT NULL,
    hash TEXT NOT NULL, raw TEXT NOT NULL, state TEXT NOT NULL, block_number INTEGER, error TEXT,
    created_at INTEGER NOT NULL, updated_at INTEGER NOT NULL
  );
  CREATE INDEX txs_task ON txs (task);
  CREATE INDEX txs_state ON txs (state);
  CREATE TABLE telemetry (
    digest TEXT PRIMARY KEY, order_id TEXT NOT NULL, device TEXT NOT NULL, seq INTEGER NOT NULL, ts INTEGER NOT NULL,
    kind TEXT NOT NULL, data TEXT NOT NULL, received_at INTEGER NOT NULL
  );
  CREATE INDEX telemetry_order ON telemetry (order_id, ts, seq);
  CREATE UNIQUE INDEX telemetry_device_seq ON telemetry (order_id, device, seq);
  CREATE TABLE telemetry_rejections (reason TEXT PRIMARY KEY, count INTEGER NOT NULL);
  `,
  `
  -- order book events carry their order id, so an order's state is a fold over its events (and a reorg a DELETE)
  ALTER TABLE chain_events ADD COLUMN order_id TEXT;
  CREATE INDEX chain_events_order ON chain_events (order_id, block_number, log_index);
  -- attested order outcomes (EIP-712 OrderOutcome) this node knows of; their signatures share the signatures table
  CREATE TABLE outcomes (
    digest TEXT PRIMARY KEY, order_id TEXT NOT NULL, milestone INTEGER NOT NULL, success INTEGER NOT NULL,
    class_id INTEGER NOT NULL, service_id TEXT NOT NULL, kind TEXT NOT NULL,
    own TEXT NOT NULL, state TEXT NOT NULL, reason TEXT, tx_id INTEGER,
    created_at INTEGER NOT NULL, updated_at INTEGER NOT NULL
  );
  CREATE INDEX outcomes_state ON outcomes (state);
  CREATE INDEX outcomes_order ON outcomes (order_id);
  `,
  `
  -- outcomes sign the order's parameters hash as well as its id (OrderOutcome.paramsHash). Outcomes signed under the
  -- earlier EIP-712 type can never be taken by an order book of this type, so they and their signatures go; the
  -- verdicts stay (a node never signs the other verdict on a milestone it judged)
  DELETE FROM signatures WHERE digest IN (SELECT digest FROM outcomes);
  DELETE FROM outcomes;
  ALTER TABLE outcomes ADD COLUMN params_hash TEXT NOT NULL DEFAULT '';
  `,
  `
  -- fee replacement: every re-signed transaction is its own row (same task and nonce, its own hash), and the block
  -- at which each was broadcast counts how long it has stayed unmined
  ALTER TABLE txs ADD COLUMN sent_block INTEGER;
  `,
  `
  -- outcomes sign the vault holding the order as well (OrderOutcome.vault): an open-bid order's params carry vault 0,
  -- so a reorg could hand the same (id, params) to another bidder. Outcomes signed under the earlier EIP-712 type can
  -- never be taken by an order book of this type, so they and their signatures go. Verdicts are now kept per vault
  -- (order:<id>:<paramsHash>:<vault>:<milestone>); the old ones stay, unread: they are about outcomes no order book
  -- of this type accepts, and the new subject is judged afresh
  DELETE FROM signatures WHERE digest IN (SELECT digest FROM outcomes);
  DELETE FROM outcomes;
  ALTER TABLE outcomes ADD COLUMN vault TEXT NOT NULL DEFAULT '';
  `,
  `
  -- released: the entry's work was done by someone else, but it stays open until the chain has used its nonce (a
  -- nonce the node signed and then forgot would hold every later transaction of the node behind it)
  ALTER TABLE txs ADD COLUMN released INTEGER NOT NULL DEFAULT 0;
  `,
]

export function openDb(path: string): Db {
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true })
  let db: Db
  try {
    db = new Database(path)
  } catch (error) {
    throw new SuretyError(`cannot open the node store ${path}`, { cause: error })
  }
  db.pragma('journal_mode = WAL')
  db.pragma('synchronous = FULL')
  db.pragma('foreign_keys = ON')
  db.pragma('busy_timeout = 5000')
  migrate(db)
  return db
}

function migrate(db: Db): void {
  const version = db.pragma('user_version', { simple: true }) as number
  if (version > MIGRATIONS.length) {
    throw new SuretyError(
      `the node store has schema version ${version}; this node knows up to ${MIGRATIONS.length}`,
    )
  }
  for (let v = version; v < MIGRATIONS.length; v++) {
    db.transaction(() => {
      db.exec(MIGRATIONS[v]!)
      db.pragma(`user_version = ${v + 1}`)
    })()
  }
}
