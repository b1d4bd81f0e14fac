import assert from 'node:assert/strict'
import { mock, test } from 'node:test'

/** The browser's EventSource as far as live.ts uses it: this is the edge a test in Node cannot reach. */
class FakeEventSource {
  static readonly CONNECTING = 0
  static readonly OPEN = 1
  static readonly CLOSED = 2
  static made: FakeEventSource[] = []
  readyState = FakeEventSource.CONNECTING
  onopen: (() => void) | null = null
  onerror: (() => void) | null = null
  closed = false
  constructor(readonly url: string) {
    FakeEventSource.made.push(this)
  }
  addEventListener() {}
  close() {
    this.closed = true
    this.readyState = FakeEventSource.CLOSED
  }
  open() {
    this.readyState = FakeEventSource.OPEN
    this.onopen?.()
  }
}

test('a first connection that never opens is dropped and made again; one that opens is kept', async () => {
  mock.timers.enable({ apis: ['setTimeout'] })
  ;(globalThis as { EventSource?: unknown }).EventSource = FakeEventSource
  try {
    const { connectLive, getLive } = await import('./live.ts')
    connectLive(['Deposited'])
    connectLive(['Deposited']) // a second call does not open a second stream
    assert.equal(FakeEventSource.made.length, 1)
    assert.equal(getLive().status, 'connecting')
    mock.timers.tick(9_999)
    assert.equal(FakeEventSource.made.length, 1, 'not dropped before its time')
    mock.timers.tick(1)
    assert.equal(FakeEventSource.made.length, 2, 'the stuck request was replaced')
    assert.ok(FakeEventSource.made[0]!.closed)
    assert.equal(getLive().status, 'reconnecting')
    FakeEventSource.made[1]!.open()
    assert.equal(getLive().status, 'live')
    mock.timers.tick(60_000)
    assert.equal(FakeEventSource.made.length, 2, 'an open stream is left to the browser')
    assert.equal(FakeEventSource.made[1]!.closed, false)
  } finally {
    mock.timers.reset()
    delete (globalThis as { EventSource?: unknown }).EventSource
  }
})
