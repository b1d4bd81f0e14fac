/**
 * Reading an HTTP response body with a byte cap. fetch decodes gzip and deflate on the fly, so a small body on the
 * wire can decode to hundreds of megabytes (a gzip bomb): `arrayBuffer()` would hold all of it. The body is read
 * as a stream instead, counting decoded bytes, and abandoned (the stream cancelled, the connection dropped) as
 * soon as the count passes the cap. Decoding never shrinks data by more than a few bytes, so the cap on decoded
 * bytes caps the bytes read from the wire too; a declared content-length over the cap is refused before reading.
 */
export type BoundedBody = { ok: true; bytes: Uint8Array } | { ok: false; reason: string }

export async function readBounded(response: Response, maxBytes: number): Promise<BoundedBody> {
  const declared = Number(response.headers.get('content-length') ?? Number.NaN)
  if (declared > maxBytes) {
    await response.body?.cancel().catch(() => undefined)
    return { ok: false, reason: `body of ${declared} bytes is over the ${maxBytes}-byte limit` }
  }
  if (!response.body) return { ok: true, bytes: new Uint8Array() }
  const reader = response.body.getReader()
  const chunks: Uint8Array[] = []
  let size = 0
  for (;;) {
    const { done, value } = await reader.read()
    if (done) break
    size += value.byteLength
    if (size > maxBytes) {
      await reader.cancel().catch(() => undefined)
      return { ok: false, reason: `body over the ${maxBytes}-byte limit (after decoding)` }
    }
    chunks.push(value)
  }
  const bytes = new Uint8Array(size)
  let at = 0
  for (const c of chunks) {
    bytes.set(c, at)
    at += c.byteLength
  }
  return { ok: true, bytes }
}
