/**
 * A typed client of Surety's HTTP API (`surety api`, docs/api.md): one small function per endpoint family, every
 * answer typed from the server's own schemas (./types.ts) and carrying the indexed block it reflects. Uses the
 * platform's `fetch`, so it runs in a browser as in Node.js.
 */
import { InvalidInputError } from '../../errors.ts'
import { ApiError, ApiUnreachableError } from './errors.ts'
import type {
  AllocationFilters,
  ApiAllocation,
  ApiAttester,
  ApiCredit,
  ApiEvent,
  ApiIncident,
  ApiItem,
  ApiList,
  ApiNetwork,
  ApiOrder,
  ApiOrderDetail,
  ApiPosition,
  ApiReward,
  ApiService,
  ApiSlash,
  ApiSlashDetail,
  ApiVault,
  ApiWithdrawal,
  AttesterFilters,
  CreditFilters,
  EventFilters,
  IncidentFilters,
  ListOptions,
  OrderFilters,
  RewardFilters,
  ServiceFilters,
  SlashFilters,
  VaultFilters,
  WithdrawalFilters,
} from './types.ts'

export type ApiClientOptions = {
  /** Where `surety api` listens, e.g. http://127.0.0.1:8546 (a trailing slash is fine). */
  url: string
  /** Milliseconds before a request counts as unreachable (default 10 000). */
  timeoutMs?: number
  /** Another fetch (tests, a proxy agent); default the global one. */
  fetch?: typeof fetch
}

type Query = Record<string, string | number | bigint | boolean | undefined>

/** A list endpoint: one page, or every item across pages with an async iterator. */
export type ListEndpoint<F, T> = {
  (filters?: F): Promise<ApiList<T>>
  /** Every item, page after page (following `page.next`), in the list's order. */
  all: (filters?: Omit<F, 'cursor'>) => AsyncIterable<T>
}

export type ApiClient = ReturnType<typeof createApiClient>

/** Follows `page.next` from the first page to the last, yielding every item in the list's order. */
function pages<F extends ListOptions<string>, T>(
  fetchPage: (filters: F) => Promise<ApiList<T>>,
  filters?: Omit<F, 'cursor'>,
): AsyncIterable<T> {
  return {
    async *[Symbol.asyncIterator]() {
      let cursor: string | undefined
      do {
        const page = await fetchPage({ ...(filters as F), cursor })
        yield* page.data
        cursor = page.page.next ?? undefined
      } while (cursor !== undefined)
    },
  }
}

/** Every item of a list, collected (mind the size: an iterator over `.all()` streams instead). */
export async function collect<T>(items: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = []
  for await (const item of items) out.push(item)
  return out
}

/** Checks and normalises the base URL: http(s) only, no trailing slash. */
export function apiBaseUrl(url: string): string {
  let parsed: URL
  try {
    parsed = new URL(url)
  } catch {
    throw new InvalidInputError(
      `the API URL must be an http(s) URL such as http://127.0.0.1:8546, got '${url}'`,
    )
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:')
    throw new InvalidInputError(
      `the API URL must be an http(s) URL such as http://127.0.0.1:8546, got '${url}'`,
    )
  return url.replace(/\/+$/, '')
}

/**
 * A client of the HTTP API at `options.url`: `network()`, and per family a list (one page), its `.all()` (every
 * item across cursor pages) and `.get(id)`; e.g. `for await (const o of createApiClient({ url }).orders.all({
 * status: 'Open' }))`. Every answer carries the indexed `block` it reflects. Throws ApiError (the server's status
 * and message) and ApiUnreachableError (nothing answered at the URL). See docs/api.md, "Client".
 */
export function createApiClient(options: ApiClientOptions) {
  const base = apiBaseUrl(options.url)
  const timeoutMs = options.timeoutMs ?? 10_000
  const doFetch = options.fetch ?? fetch

  async function get<T>(path: string, query: Query = {}): Promise<T> {
    const params = new URLSearchParams()
    for (const [k, v] of Object.entries(query)) if (v !== undefined) params.set(k, String(v))
    const qs = params.toString()
    const target = `${path}${qs ? `?${qs}` : ''}`
    let response: Response
    try {
      response = await doFetch(`${base}${target}`, {
        headers: { accept: 'application/json' },
        signal: AbortSignal.timeout(timeoutMs),
      })
    } catch (cause) {
      const reason =
        (cause as Error)?.name === 'TimeoutError'
          ? `no answer within ${timeoutMs} ms`
          : String(
              (cause as { cause?: { code?: string } })?.cause?.code ?? (cause as Error)?.message ?? cause,
            )
      throw new ApiUnreachableError(base, reason, { cause })
    }
    const text = await response.text()
    let body: unknown
    try {
      body = JSON.parse(text)
    } catch (cause) {
      throw new ApiUnreachableError(
        base,
        `${target} answered ${response.status} with something not JSON: not a Surety API`,
        {
          cause,
          retryable: false,
        },
      )
    }
    if (!response.ok) {
      const error = (body as { error?: { code?: string; message?: string } }).error
      throw new ApiError(
        response.status,
        error?.code ?? 'UNKNOWN',
        error?.message ?? text.slice(0, 200),
        target,
      )
    }
    return body as T
  }

  const seg = (v: string | bigint) => encodeURIComponent(String(v))

  function list<F extends ListOptions<string>, T>(path: string): ListEndpoint<F, T> {
    const one = (filters?: F) => get<ApiList<T>>(path, (filters ?? {}) as Query)
    one.all = (filters?: Omit<F, 'cursor'>) => pages(one, filters)
    return one
  }

  /** A list under one resource (a staker's positions): the same, with the resource's key first. */
  function scopedList<F extends ListOptions<string>, T>(path: (key: string) => string) {
    const one = (key: string, filters?: F) => get<ApiList<T>>(path(key), (filters ?? {}) as Query)
    one.all = (key: string, filters?: Omit<F, 'cursor'>) => pages((f: F) => one(key, f), filters)
    return one
  }

  return {
    url: base,
    network: () => get<ApiItem<ApiNetwork>>('/v1/network'),
    services: Object.assign(list<ServiceFilters, ApiService>('/v1/services'), {
      get: (id: string | bigint) => get<ApiItem<ApiService>>(`/v1/services/${seg(id)}`),
      attesters: (id: string | bigint, filters: AttesterFilters = {}) =>
        get<ApiList<ApiAttester>>(`/v1/services/${seg(id)}/attesters`, filters),
    }),
    attesters: list<AttesterFilters, ApiAttester>('/v1/attesters'),
    vaults: Object.assign(list<VaultFilters, ApiVault>('/v1/vaults'), {
      get: (address: string) => get<ApiItem<ApiVault>>(`/v1/vaults/${seg(address)}`),
      /** A vault's stakers and their positions (`.all(address)`: every page). */
      positions: scopedList<ListOptions<'shares'>, ApiPosition>(
        (address) => `/v1/vaults/${seg(address)}/positions`,
      ),
      /** A vault's queued and claimed withdrawals (`.all(address)`: every page). */
      withdrawals: scopedList<WithdrawalFilters, ApiWithdrawal>(
        (address) => `/v1/vaults/${seg(address)}/withdrawals`,
      ),
    }),
    allocations: Object.assign(list<AllocationFilters, ApiAllocation>('/v1/allocations'), {
      get: (vault: string, serviceId: string | bigint) =>
        get<ApiItem<ApiAllocation>>(`/v1/allocations/${seg(vault)}/${seg(serviceId)}`),
    }),
    orders: Object.assign(list<OrderFilters, ApiOrder>('/v1/orders'), {
      /** One order with its bids and milestones. */
      get: (id: string | bigint) => get<ApiItem<ApiOrderDetail>>(`/v1/orders/${seg(id)}`),
    }),
    slashes: Object.assign(list<SlashFilters, ApiSlash>('/v1/slashes'), {
      get: (id: string) => get<ApiItem<ApiSlashDetail>>(`/v1/slashes/${seg(id)}`),
    }),
    incidents: Object.assign(list<IncidentFilters, ApiIncident>('/v1/incidents'), {
      get: (id: string) => get<ApiItem<ApiIncident>>(`/v1/incidents/${seg(id)}`),
    }),
    stakers: {
      /** A staker's positions in every vault, valued now (an address holding nothing gets an empty list). */
      positions: scopedList<ListOptions<'shares'>, ApiPosition>(
        (staker) => `/v1/stakers/${seg(staker)}/positions`,
      ),
      /** A staker's queued and claimed withdrawals in every vault. */
      withdrawals: scopedList<WithdrawalFilters, ApiWithdrawal>(
        (staker) => `/v1/stakers/${seg(staker)}/withdrawals`,
      ),
    },
    rewards: list<RewardFilters, ApiReward>('/v1/rewards'),
    /** Payouts a token refused to push, held by a vault or the court, and refunds the order book owes. */
    credits: list<CreditFilters, ApiCredit>('/v1/credits'),
    events: list<EventFilters, ApiEvent>('/v1/events'),
  }
}
