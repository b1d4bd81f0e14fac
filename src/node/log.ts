/**
 * Structured logs: one JSON object per line on stdout, so an operator can pipe them into any log system and a test
 * can parse them. Bigints become strings and errors keep their typed name, message and `retryable` tag.
 */
import { SuretyError } from '../errors.ts'

export type LogLevel = 'debug' | 'info' | 'warn' | 'error'
export type LogFields = Record<string, unknown>

export type Logger = {
  debug: (msg: string, fields?: LogFields) => void
  info: (msg: string, fields?: LogFields) => void
  warn: (msg: string, fields?: LogFields) => void
  error: (msg: string, fields?: LogFields) => void
  child: (fields: LogFields) => Logger
}

const RANK: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 }

/** What a caught error looks like in a log line. */
export function errorFields(error: unknown): LogFields {
  if (error instanceof SuretyError) {
    return {
      error: error.message,
      errorType: error.name,
      ...('errorName' in error && error.errorName ? { errorName: error.errorName } : {}),
      retryable: error.retryable,
    }
  }
  if (error instanceof Error) return { error: error.message, errorType: error.name }
  return { error: String(error) }
}

function replacer(_key: string, value: unknown) {
  if (typeof value === 'bigint') return value.toString()
  if (value instanceof Error) return errorFields(value)
  return value
}

/**
 * An RPC URL as it may appear in logs and errors: its origin only. Providers put API keys in the path
 * (`/v3/<key>`) or the query (`?apikey=`), and logs travel further than configs.
 */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url)
    return u.pathname === '/' && !u.search ? u.origin : `${u.origin}/…`
  } catch {
    return '<url>'
  }
}

export function createLogger(
  options: {
    level?: LogLevel
    base?: LogFields
    write?: (line: string) => void
    /** URLs never written whole (the RPC URL): each is replaced by redactUrl's form wherever it appears. */
    secretUrls?: string[]
  } = {},
): Logger {
  const threshold = RANK[options.level ?? 'info']
  const out = options.write ?? ((line: string) => process.stdout.write(`${line}\n`))
  // an error message from the RPC client quotes the URL it called: scrub the finished line, not just fields
  const secrets = (options.secretUrls ?? [])
    .filter((u) => redactUrl(u) !== u)
    .flatMap((u) => [u, u.replace(/\/$/, '')])
    .sort((a, b) => b.length - a.length)
  const write = secrets.length
    ? (line: string) => out(secrets.reduce((l, u) => l.split(u).join(redactUrl(u)), line))
    : out
  const base = options.base ?? {}
  const emit = (level: LogLevel, msg: string, fields?: LogFields) => {
    if (RANK[level] < threshold) return
    write(JSON.stringify({ t: new Date().toISOString(), level, msg, ...base, ...fields }, replacer))
  }
  return {
    debug: (msg, fields) => emit('debug', msg, fields),
    info: (msg, fields) => emit('info', msg, fields),
    warn: (msg, fields) => emit('warn', msg, fields),
    error: (msg, fields) => emit('error', msg, fields),
    child: (fields) => createLogger({ ...options, base: { ...base, ...fields } }),
  }
}

/** A logger that drops everything (unit tests, benchmarks). */
export const silentLogger: Logger = createLogger({ write: () => {} })
