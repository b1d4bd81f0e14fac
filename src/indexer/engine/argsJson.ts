/**
 * An event's arguments as JSON with bigints as decimal strings: exactly `jsonWithBigints` (db/codec.ts), written
 * out by hand because a JSON.stringify replacer calls back into JavaScript for every value, which made this one of
 * the larger costs of a backfill (every event stores its arguments).
 */
export function argsJson(value: unknown): string {
  switch (typeof value) {
    case 'bigint':
      return `"${value}"`
    case 'string':
      return JSON.stringify(value)
    case 'number':
      return Number.isFinite(value) ? String(value) : 'null'
    case 'boolean':
      return value ? 'true' : 'false'
    case 'object': {
      if (value === null) return 'null'
      if (Array.isArray(value)) {
        let s = '['
        for (let i = 0; i < value.length; i++) {
          const item = argsJson(value[i])
          s += `${i === 0 ? '' : ','}${item === undefined ? 'null' : item}`
        }
        return `${s}]`
      }
      if (typeof (value as { toJSON?: unknown }).toJSON === 'function') return JSON.stringify(value)
      let s = '{'
      let first = true
      for (const k of Object.keys(value)) {
        const item = argsJson((value as Record<string, unknown>)[k])
        if (item === undefined) continue
        s += `${first ? '' : ','}${JSON.stringify(k)}:${item}`
        first = false
      }
      return `${s}}`
    }
    default:
      // undefined, functions and symbols: left out of objects, null in arrays (as JSON.stringify does)
      return undefined as unknown as string
  }
}
