/** JSON for machines: bigints as decimal strings (exact base units). */
export const toJson = (value: unknown) =>
  JSON.stringify(value, (_, v) => (typeof v === 'bigint' ? v.toString() : v))

export const printJson = (value: unknown) => console.log(toJson(value))
