import { registerInvariantSuite } from './registerInvariantSuite.ts'

// 100 of the 200 sequences × 50 steps run in CI; the other 100 are in invariantsB.test.ts, on another chain.
registerInvariantSuite(1, 100)
