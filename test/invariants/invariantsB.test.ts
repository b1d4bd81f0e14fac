import { registerInvariantSuite } from './registerInvariantSuite.ts'

// Seeds 101..200: the second half of the 200 × 50 invariant run, on its own chain (worker).
registerInvariantSuite(101, 100)
