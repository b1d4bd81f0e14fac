/** JSON that keeps bigints (contract event arguments are full of them): a bigint is stored as {"$n": "123"}. */
export function toJson(value: unknown): string {
  return JSON.stringify(value, (_k, v) => (typeof v === 'bigint' ? { $n: v.toString() } : v))
}

export function fromJson<T = unknown>(text: string): T {
  return JSON.parse(text, (_k, v) =>
    v !== null &&
    typeof v === 'object' &&
    !Array.isArray(v) &&
    Object.keys(v).length === 1 &&
    typeof v.$n === 'string'
      ? BigInt(v.$n)
      : v,
  ) as T
}
