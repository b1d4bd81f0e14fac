/**
 * The order and slash status enums, declared once. The names and their order are the contracts' (`OrderStatus`
 * and `SlashStatus` in contracts/src/types/Types.sol, without `None`), so a status read from a view decodes with
 * the same table: `ORDER_STATUSES[n - 1]`.
 */
export const ORDER_STATUSES = ['Open', 'Active', 'Completed', 'Failed', 'Cancelled'] as const
export type OrderStatus = (typeof ORDER_STATUSES)[number]
export const TERMINAL_ORDER_STATUSES: ReadonlySet<OrderStatus> = new Set(['Completed', 'Failed', 'Cancelled'])

export const SLASH_STATUSES = ['Pending', 'Disputed', 'Upheld', 'Executed', 'Overturned', 'Lapsed'] as const
export type SlashStatus = (typeof SLASH_STATUSES)[number]
export const SETTLED_SLASH_STATUSES: ReadonlySet<SlashStatus> = new Set(['Executed', 'Overturned', 'Lapsed'])

/** `OrderResult` of CollateralReleased. */
export const ORDER_RESULTS = ['Cancelled', 'Succeeded', 'Failed'] as const
export type OrderResult = (typeof ORDER_RESULTS)[number]

/** A status as the contracts' views return it (uint8, 0 = None). */
export const orderStatusOf = (n: number): OrderStatus | undefined => ORDER_STATUSES[n - 1]
export const slashStatusOf = (n: number): SlashStatus | undefined => SLASH_STATUSES[n - 1]

/** The incident ids of orders' slashes have the top bit set (SlashingCourt.ORDER_INCIDENT_FLAG). */
export const ORDER_INCIDENT_FLAG = 1n << 255n
export const isOrderIncident = (incidentId: string) => (BigInt(incidentId) & ORDER_INCIDENT_FLAG) !== 0n
