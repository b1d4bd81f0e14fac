/**
 * Who is who in the devnet world: every actor is an account of the standard test mnemonic, at a fixed index, so a
 * user can pick any of them up with the CLI (`SURETY_PRIVATE_KEY`) and the world prints the table on start.
 */
import { pbkdf2Sync } from 'node:crypto'
import { bytesToHex, type Hex } from 'viem'
import { type HDAccount, HDKey, hdKeyToAccount } from 'viem/accounts'

export const DEVNET_MNEMONIC = 'test test test test test test test test test test test junk'
export const OPERATOR_COUNT = 8
export const ATTESTER_COUNT = 5
export const STAKER_COUNT = 20
export const CLIENT_COUNT = 3
export const ACCOUNT_COUNT = 40

const INDEX = {
  deployer: 0,
  owner: 1,
  resolver: 2,
  attacker: 3,
  operators: 4, // 4..11
  attesters: 12, // 12..16
  clients: 17, // 17..19
  stakers: 20, // 20..39
} as const

export type WorldAccounts = {
  deployer: HDAccount
  /** Owns both services. */
  owner: HDAccount
  /** Rules on disputed slashes of both services. */
  resolver: HDAccount
  /**
   * Only the attack scenario uses it (its whale); otherwise it is the account the world leaves to the user: funded
   * with stake tokens and approved for the order book, and no actor of the world sends from it.
   */
  attacker: HDAccount
  operators: HDAccount[]
  attesters: HDAccount[]
  /** gpu-client opens jobs and intents, lease-client leases, cold-client shipments. */
  clients: HDAccount[]
  stakers: HDAccount[]
}

/**
 * The accounts' parent key m/44'/60'/0'/0, derived once from the mnemonic's BIP-39 seed computed with node's
 * native PBKDF2: viem's mnemonicToAccount runs the seed's 2,048 rounds of HMAC-SHA512 in JavaScript and the five
 * derivation steps for every account, seconds of CPU for the world's forty on a start.
 */
let parent: HDKey | undefined
const parentKey = () => {
  parent ??= HDKey.fromMasterSeed(
    pbkdf2Sync(DEVNET_MNEMONIC.normalize('NFKD'), 'mnemonic', 2048, 64, 'sha512'),
  ).derive("m/44'/60'/0'/0")
  return parent
}
// the path is relative to the parent key (HDKey.derive reads "m/i" as "the parent's child i")
const at = (i: number) => hdKeyToAccount(parentKey(), { path: `m/${i}` as `m/44'/60'/${string}` })
const range = (from: number, n: number) => Array.from({ length: n }, (_, i) => at(from + i))

let cast: WorldAccounts | undefined

/** The same objects on every call (the world and its banner both ask). */
export function worldAccounts(): WorldAccounts {
  cast ??= {
    deployer: at(INDEX.deployer),
    owner: at(INDEX.owner),
    resolver: at(INDEX.resolver),
    attacker: at(INDEX.attacker),
    operators: range(INDEX.operators, OPERATOR_COUNT),
    attesters: range(INDEX.attesters, ATTESTER_COUNT),
    clients: range(INDEX.clients, CLIENT_COUNT),
    stakers: range(INDEX.stakers, STAKER_COUNT),
  }
  return cast
}

export const privateKeyOf = (account: HDAccount): Hex => bytesToHex(account.getHdKey().privateKey!)

export const CLIENT_NAMES = ['gpu-client', 'lease-client', 'cold-client'] as const

/** The "who is who" table printed on start: role, account index, address. */
export function accountTable(a: WorldAccounts, operatorNames: string[]) {
  const rows: { role: string; index: number; address: string }[] = [
    { role: 'deployer', index: INDEX.deployer, address: a.deployer.address },
    { role: 'service owner', index: INDEX.owner, address: a.owner.address },
    { role: 'resolver', index: INDEX.resolver, address: a.resolver.address },
    // nobody else sends from it (but the whale of --scenario attack): a user's CLI never races the world's nonces
    { role: 'you: try the CLI here', index: INDEX.attacker, address: a.attacker.address },
  ]
  for (const [i, o] of a.operators.entries())
    rows.push({ role: `operator ${operatorNames[i]}`, index: INDEX.operators + i, address: o.address })
  for (const [i, o] of a.attesters.entries())
    rows.push({ role: `attester node-${i + 1}`, index: INDEX.attesters + i, address: o.address })
  for (const [i, o] of a.clients.entries())
    rows.push({ role: `client ${CLIENT_NAMES[i]}`, index: INDEX.clients + i, address: o.address })
  rows.push({
    role: `stakers (${STAKER_COUNT})`,
    index: INDEX.stakers,
    address: `${a.stakers[0]!.address} … (indexes ${INDEX.stakers}–${INDEX.stakers + STAKER_COUNT - 1})`,
  })
  return rows
}
