/**
 * Text a contract returns (a token's name or symbol) is whatever its deployer wrote: an operator names its own
 * vault's token, anyone can deploy a payment token. Shown raw, it can carry terminal escape sequences (ESC [ …
 * rewrites what a CLI printed above it), a right-to-left override (the name reads backwards), or zero-width
 * characters (two names that look the same). `displayText` drops control, zero-width and text-direction characters
 * and cuts the text to `max` characters (code points, never splitting one) with an ellipsis.
 */

// C0 and C1 controls (ESC included), zero-width and directional marks, bidi embeddings, overrides and isolates,
// and the byte-order mark used as a zero-width no-break space
// biome-ignore lint/suspicious/noControlCharactersInRegex: dropping control characters is the point
const HIDDEN = /[\u0000-\u001f\u007f-\u009f\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff]/g

export function displayText(raw: string, max: number): string {
  const clean = raw.replace(HIDDEN, '').trim()
  const chars = [...clean]
  return chars.length > max ? `${chars.slice(0, max - 1).join('')}…` : clean
}

/** Longest vault or token name shown. */
export const NAME_MAX = 64
/** Longest token symbol shown. */
export const SYMBOL_MAX = 16
