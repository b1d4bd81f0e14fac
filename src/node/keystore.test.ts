import assert from 'node:assert/strict'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, test } from 'node:test'
import { privateKeyToAccount } from 'viem/accounts'
import { loadAccount } from './key.ts'
import { decryptKeystore, encryptKeystore } from './keystore.ts'

// The two test vectors of the Web3 Secret Storage definition (password "testpassword").
const KEY = '0x7a28b5ba57c53603b0b07b56bba752f7784bf506fa95edc395f5cf6c7514fe9d'
const PBKDF2_VECTOR = {
  crypto: {
    cipher: 'aes-128-ctr',
    cipherparams: { iv: '6087dab2f9fdbbfaddc31a909735c1e6' },
    ciphertext: '5318b4d5bcd28de64ee5559e671353e16f075ecae9f99c7a79a38af5f869aa46',
    kdf: 'pbkdf2',
    kdfparams: {
      c: 262144,
      dklen: 32,
      prf: 'hmac-sha256',
      salt: 'ae3cd4e7013836a3df6bd7241b12db061dbe2c6785853cce422d148a624ce0bd',
    },
    mac: '517ead924a9d0dc3124507e3393d175ce3ff7c1e96529c6c555ce9e51205e9b2',
  },
  id: '3198bc9c-6672-5ab3-d995-4942343ae5b6',
  version: 3,
}
const SCRYPT_VECTOR = {
  crypto: {
    cipher: 'aes-128-ctr',
    cipherparams: { iv: '83dbcc02d8ccb40e466191a123791e0e' },
    ciphertext: 'd172bf743a674da9cdad04534d56926ef8358534d458fffccd4e6ad2fbde479c',
    kdf: 'scrypt',
    kdfparams: {
      dklen: 32,
      n: 262144,
      p: 8,
      r: 1,
      salt: 'ab0c7876052600dd703518d6fc3fe8984592145b591fc8fb5c6d43190334ba19',
    },
    mac: '2103ac29920d71da29f15d75b4a16dbe95cfd7ff8faea1056c33131d846e3097',
  },
  id: '3198bc9c-6672-5ab3-d995-4942343ae5b6',
  version: 3,
}

// go-ethereum's scrypt vector (accounts/keystore/testdata): a 31-byte key that geth pads to 32 bytes.
const GETH_31_BYTE = {
  crypto: {
    cipher: 'aes-128-ctr',
    cipherparams: { iv: 'e0c41130a323adc1446fc82f724bca2f' },
    ciphertext: '9517cd5bdbe69076f9bf5057248c6c050141e970efa36ce53692d5d59a3984',
    kdf: 'scrypt',
    kdfparams: {
      dklen: 32,
      n: 2,
      r: 8,
      p: 1,
      salt: '711f816911c92d649fb4c84b047915679933555030b3552c1212609b38208c63',
    },
    mac: 'd5e116151c6aa71470e67a7d42c9620c75c4d23229847dcc127794f0732b0db5',
  },
  id: 'fecfc4ce-e956-48fd-953b-30f8b52ed66c',
  version: 3,
}

describe('Web3 Secret Storage v3 keystore', () => {
  test('decrypts the specification’s PBKDF2 vector and go-ethereum’s scrypt vector', () => {
    assert.equal(decryptKeystore(PBKDF2_VECTOR, 'testpassword'), KEY)
    assert.equal(
      decryptKeystore(JSON.stringify(GETH_31_BYTE), 'foo'),
      '0x00fa7b3db73dc7dfdf8c5fbdb796d741e4488628c41fc4febd9160a866ba0f35',
    )
  })

  test('scrypt parameters outside RFC 7914 (the specification’s r = 1, n = 2^18 example) get a clear error', () => {
    assert.throws(() => decryptKeystore(SCRYPT_VECTOR, 'testpassword'), /outside RFC 7914/)
  })

  test('a wrong password fails the MAC check, never yields a wrong key', () => {
    assert.throws(() => decryptKeystore(PBKDF2_VECTOR, 'testpassworD'), /wrong password \(MAC mismatch\)/)
  })

  test('a damaged file is refused with the field named', () => {
    const broken = { ...PBKDF2_VECTOR, crypto: { ...PBKDF2_VECTOR.crypto, cipher: 'aes-256-gcm' } }
    assert.throws(() => decryptKeystore(broken, 'testpassword'), /keystore: crypto\.cipher/)
    assert.throws(() => decryptKeystore('{not json', 'x'), /keystore: not JSON/)
  })

  test('encrypts deterministically for a given salt and iv, and round-trips', () => {
    const opts = { n: 2, salt: new Uint8Array(32).fill(7), iv: new Uint8Array(16).fill(9), id: 'x' }
    const one = encryptKeystore(KEY, 'foo', opts)
    assert.deepEqual(encryptKeystore(KEY, 'foo', opts), one)
    assert.equal('n' in one.crypto.kdfparams && one.crypto.kdfparams.n, 2)
    assert.equal(decryptKeystore(one, 'foo'), KEY)
    assert.throws(() => decryptKeystore(one, 'bar'), /wrong password/)
    const fresh = encryptKeystore(KEY, 'pw', { n: 1024 })
    assert.equal(decryptKeystore(fresh, 'pw'), KEY)
    assert.equal(fresh.address, privateKeyToAccount(KEY).address.toLowerCase().slice(2))
  })

  test('the node loads its key from the environment or a keystore, and says what is missing', () => {
    const account = loadAccount({ kind: 'env', env: 'K' }, { K: KEY.slice(2) })
    assert.equal(account.address, privateKeyToAccount(KEY).address)
    assert.throws(
      () => loadAccount({ kind: 'env', env: 'K' }, {}),
      /key\.env: environment variable K is not set/,
    )
    assert.throws(() => loadAccount({ kind: 'env', env: 'K' }, { K: '0x1234' }), /does not hold a 32-byte/)
    const dir = mkdtempSync(join(tmpdir(), 'surety-keystore-'))
    const path = join(dir, 'k.json')
    writeFileSync(path, JSON.stringify(encryptKeystore(KEY, 'secret', { n: 1024 })))
    const fromFile = loadAccount({ kind: 'keystore', keystore: path, passwordEnv: 'PW' }, { PW: 'secret' })
    assert.equal(fromFile.address, account.address)
    assert.throws(
      () => loadAccount({ kind: 'keystore', keystore: path, passwordEnv: 'PW' }, {}),
      /key\.passwordEnv: environment variable PW is not set/,
    )
  })
})
