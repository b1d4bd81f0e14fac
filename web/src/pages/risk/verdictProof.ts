/**
 * How a secure verdict was proven, in the words the CLI uses (src/risk/report.ts): exactly (a verified attack, the
 * certified slack, cost shares or the branching, all in integers), or by HiGHS alone, within its float tolerances.
 */
export function verdictProof(a: { verdictProven: boolean; verdictExact: boolean }): string {
  if (a.verdictExact) return 'proven exactly'
  return a.verdictProven ? 'the solver’s verdict, within its float tolerances' : ''
}
