import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { createLogger, errorFields, redactUrl } from './log.ts'

describe('logs', () => {
  test('never contain the RPC URL’s path or query, even inside an error message', () => {
    const rpc = 'https://eth.example.com/v3/SECRETKEY?apikey=ALSOSECRET'
    const lines: string[] = []
    const log = createLogger({ write: (l) => void lines.push(l), secretUrls: [rpc] })
    log.warn('rpc failed', {
      ...errorFields(new Error(`HTTP request failed. URL: ${rpc} Status: 503`)),
      url: rpc,
    })
    assert.equal(lines.length, 1)
    assert.doesNotMatch(lines[0]!, /SECRETKEY|ALSOSECRET/)
    assert.match(lines[0]!, /https:\/\/eth\.example\.com\/…/)
    assert.equal(redactUrl('http://127.0.0.1:8545'), 'http://127.0.0.1:8545', 'nothing to hide: kept whole')
  })
})
