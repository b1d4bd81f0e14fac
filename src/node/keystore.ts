/**
 * Web3 Secret Storage (the v3 JSON keystore geth, clef, MetaMask and Foundry's `cast wallet` read and write):
 * scrypt or PBKDF2-HMAC-SHA256 derives a 32-byte key from the password, AES-128-CTR under its first half encrypts
 * the private key, and keccak256(second half ‖ ciphertext) is the MAC that tells a wrong password from a damaged
 * file. Built on node:crypto and viem's keccak256 because viem ships no keystore support.
 */
import {
  createCipheriv,
  createDecipheriv,
  pbkdf2Sync,
  randomBytes,
  randomUUID,
  scryptSync,
  timingSafeEqual,
} from 'node:crypto'
import { bytesToHex, concat, type Hex, hexToBytes, keccak256 } from 'viem'
import { privateKeyToAccount } from 'viem/accounts'
import { z } from 'zod'
import { InvalidInputError } from '../errors.ts'

const hex = z.string().regex(/^(0x)?([0-9a-fA-F]{2})+$/, 'must be hex')

const keystoreSchema = z.object({
  version: z.literal(3),
  id: z.string().optional(),
  address: z.string().optional(),
  crypto: z.object({
    cipher: z.literal('aes-128-ctr'),
    cipherparams: z.object({ iv: hex }),
    ciphertext: hex,
    kdf: z.enum(['scrypt', 'pbkdf2']),
    kdfparams: z.union([
      z.object({
        dklen: z.number().int().min(32),
        n: z.number().int().min(2),
        r: z.number().int().min(1),
        p: z.number().int().min(1),
        salt: hex,
      }),
      z.object({
        dklen: z.number().int().min(32),
        c: z.number().int().min(1),
        prf: z.literal('hmac-sha256'),
        salt: hex,
      }),
    ]),
    mac: hex,
  }),
})

export type KeystoreV3 = z.infer<typeof keystoreSchema>

const toBytes = (h: string) => hexToBytes((h.startsWith('0x') ? h : `0x${h}`) as Hex)
const strip = (h: Hex) => h.slice(2)

function deriveKey(password: string, crypto: KeystoreV3['crypto']): Uint8Array {
  const params = crypto.kdfparams
  const salt = toBytes(params.salt)
  if ('n' in params) {
    if (crypto.kdf !== 'scrypt') throw new InvalidInputError('keystore: kdfparams do not match kdf')
    if ((params.n & (params.n - 1)) !== 0)
      throw new InvalidInputError('keystore: scrypt n must be a power of two')
    // OpenSSL (node:crypto) enforces RFC 7914's n < 2^(16·r). geth, clef, ethers and Foundry write r = 8, far
    // inside it; only exotic files (the specification's own r = 1, n = 2^18 example) fall outside.
    if (16 * params.r < 53 && params.n >= 2 ** (16 * params.r))
      throw new InvalidInputError(
        `keystore: scrypt n = ${params.n} with r = ${params.r} is outside RFC 7914 (n < 2^(16·r)); re-encrypt the key with surety node keystore create`,
      )
    // node's default scrypt memory cap (32 MiB) is below geth's standard parameters (n = 2^18, r = 8: 256 MiB)
    const maxmem = 256 * params.n * params.r * params.p + 64 * 1024 * 1024
    return scryptSync(password, salt, params.dklen, { N: params.n, r: params.r, p: params.p, maxmem })
  }
  if (crypto.kdf !== 'pbkdf2') throw new InvalidInputError('keystore: kdfparams do not match kdf')
  return pbkdf2Sync(password, salt, params.c, params.dklen, 'sha256')
}

const macOf = (derived: Uint8Array, ciphertext: Uint8Array): Uint8Array =>
  hexToBytes(keccak256(concat([derived.slice(16, 32), ciphertext])))

/** Decrypts a v3 keystore; a wrong password fails the MAC check with a clear error, never a wrong key. */
export function decryptKeystore(json: unknown, password: string): Hex {
  const parsed = keystoreSchema.safeParse(typeof json === 'string' ? safeJson(json) : json)
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!
    throw new InvalidInputError(`keystore: ${issue.path.join('.') || 'file'} ${issue.message}`)
  }
  const { crypto } = parsed.data
  const derived = deriveKey(password, crypto)
  const ciphertext = toBytes(crypto.ciphertext)
  const mac = macOf(derived, ciphertext)
  const expected = toBytes(crypto.mac)
  if (mac.length !== expected.length || !timingSafeEqual(mac, expected)) {
    throw new InvalidInputError('keystore: wrong password (MAC mismatch)')
  }
  const decipher = createDecipheriv('aes-128-ctr', derived.slice(0, 16), toBytes(crypto.cipherparams.iv))
  const plain = new Uint8Array(Buffer.concat([decipher.update(ciphertext), decipher.final()]))
  if (plain.length > 32) throw new InvalidInputError('keystore: the encrypted key is longer than 32 bytes')
  // old tools stored keys with leading zero bytes dropped (geth pads them back the same way)
  const padded = new Uint8Array(32)
  padded.set(plain, 32 - plain.length)
  const key = bytesToHex(padded)
  if (parsed.data.address) {
    const actual = privateKeyToAccount(key).address.toLowerCase()
    const declared = parsed.data.address.toLowerCase().replace(/^0x/, '')
    if (actual.slice(2) !== declared)
      throw new InvalidInputError(
        `keystore: decrypted key belongs to ${actual}, not the declared 0x${declared}`,
      )
  }
  return key
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text)
  } catch (error) {
    throw new InvalidInputError('keystore: not JSON', { cause: error })
  }
}

export type EncryptOptions = {
  /** scrypt cost; geth's standard is 2^18. Tests use less. */
  n?: number
  r?: number
  p?: number
  salt?: Uint8Array
  iv?: Uint8Array
  id?: string
}

/** Encrypts a private key into a v3 keystore with scrypt (geth's standard parameters unless told otherwise). */
export function encryptKeystore(privateKey: Hex, password: string, options: EncryptOptions = {}): KeystoreV3 {
  const address = privateKeyToAccount(privateKey).address
  const kdfparams = {
    dklen: 32,
    n: options.n ?? 262_144,
    r: options.r ?? 8,
    p: options.p ?? 1,
    salt: strip(bytesToHex(options.salt ?? randomBytes(32))),
  }
  const iv = options.iv ?? randomBytes(16)
  const crypto0 = {
    cipher: 'aes-128-ctr' as const,
    cipherparams: { iv: strip(bytesToHex(iv)) },
    kdf: 'scrypt' as const,
    kdfparams,
  }
  const derived = deriveKey(password, { ...crypto0, ciphertext: '00', mac: '00' })
  const cipher = createCipheriv('aes-128-ctr', derived.slice(0, 16), iv)
  const ciphertext = new Uint8Array(Buffer.concat([cipher.update(hexToBytes(privateKey)), cipher.final()]))
  return {
    version: 3,
    id: options.id ?? randomUUID(),
    address: address.toLowerCase().slice(2),
    crypto: {
      ...crypto0,
      ciphertext: strip(bytesToHex(ciphertext)),
      mac: strip(bytesToHex(macOf(derived, ciphertext))),
    },
  }
}
