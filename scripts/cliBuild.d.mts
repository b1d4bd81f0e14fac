// Types of scripts/cliBuild.mjs for the TypeScript that imports it (test harnesses).
export const root: string
export const BUILD_DIR: string
export const BUILT_CLI: string
export function builtCliIsCurrent(): boolean
export function cliCommand(): string[]
