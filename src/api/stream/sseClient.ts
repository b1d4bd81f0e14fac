/**
 * A small server-sent-events reader over fetch, for tests and the bench: collects frames as they arrive and waits
 * for one that matches. Browsers use EventSource; this does what it does (ids, event types, data lines).
 */
// biome-ignore lint/suspicious/noExplicitAny: parsed JSON of any message type, read by the caller
export type SseMessage = { id: string | undefined; event: string; data: any }

export function openSse(url: string, headers: Record<string, string> = {}) {
  const messages: SseMessage[] = []
  const controller = new AbortController()
  let waiters: (() => void)[] = []
  let failure: unknown
  const done = (async () => {
    const res = await fetch(url, {
      headers: { accept: 'text/event-stream', ...headers },
      signal: controller.signal,
    })
    if (!res.ok || !res.body) throw new Error(`stream answered ${res.status}: ${await res.text()}`)
    const decoder = new TextDecoder()
    let buffer = ''
    for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
      buffer += decoder.decode(chunk, { stream: true })
      let end = buffer.indexOf('\n\n')
      while (end !== -1) {
        const block = buffer.slice(0, end)
        buffer = buffer.slice(end + 2)
        end = buffer.indexOf('\n\n')
        let id: string | undefined
        let event = 'message'
        const data: string[] = []
        for (const line of block.split('\n')) {
          if (line.startsWith(':')) continue
          const i = line.indexOf(':')
          const field = i === -1 ? line : line.slice(0, i)
          const value = i === -1 ? '' : line.slice(i + 1).replace(/^ /, '')
          if (field === 'id') id = value
          else if (field === 'event') event = value
          else if (field === 'data') data.push(value)
        }
        if (data.length === 0) continue
        messages.push({ id, event, data: JSON.parse(data.join('\n')) })
        for (const w of waiters) w()
        waiters = []
      }
    }
  })().catch((error) => {
    if (!controller.signal.aborted) failure = error
    for (const w of waiters) w()
  })

  return {
    messages,
    /** Resolves with the first message at or after index `from` that matches, or rejects after `timeoutMs`. */
    async waitFor(match: (m: SseMessage) => boolean, from = 0, timeoutMs = 20_000): Promise<SseMessage> {
      const deadline = Date.now() + timeoutMs
      for (;;) {
        const found = messages.slice(from).find(match)
        if (found) return found
        if (failure) throw failure
        const left = deadline - Date.now()
        if (left <= 0)
          throw new Error(
            `no matching stream message in ${timeoutMs} ms; got ${JSON.stringify(messages.map((m) => m.event))}`,
          )
        await new Promise<void>((resolve) => {
          const t = setTimeout(resolve, Math.min(left, 200))
          waiters.push(() => {
            clearTimeout(t)
            resolve()
          })
        })
      }
    },
    async close() {
      controller.abort()
      await done
    },
  }
}
