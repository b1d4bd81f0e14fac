/**
 * Job-result checks for compute SLAs: the result an operator serves must hash to the commitment it made
 * (keccak256 of the bytes), and for deterministic jobs a sample — chosen from the job id, so every attester
 * re-executes the same jobs — is run again here and must give the same bytes. Pure, apart from the executors.
 */
import { bytesToHex, type Hex, hexToBytes, keccak256, sha256, toHex } from 'viem'

/** Deterministic executors a job may name: input bytes in, result bytes out. */
export const EXECUTORS: Record<string, (input: Uint8Array) => Uint8Array> = {
  /** The identity job, for tests and smoke checks. */
  echo: (input) => input,
  keccak256: (input) => hexToBytes(keccak256(input)),
  sha256: (input) => hexToBytes(sha256(input)),
  /** Bytes in reverse order: cheap, and a wrong implementation is easy to tell apart. */
  reverse: (input) => Uint8Array.from(input).reverse(),
}

export type JobCheck =
  | { verdict: 'ok' }
  | { verdict: 'wrong-output'; reason: string }
  | { verdict: 'unverifiable'; reason: string }

/** Whether a deterministic job is in the re-executed sample: keccak256(id) mod 10 000 below the sample rate. */
export function inSample(jobId: string, sampleBps: number): boolean {
  return BigInt(keccak256(toHex(jobId))) % 10_000n < BigInt(sampleBps)
}

export function checkJobResult(input: {
  committedHash: Hex
  result: Uint8Array
  reexecute?: { executor: string; input: Hex } | undefined
  sampled: boolean
}): JobCheck {
  const actual = keccak256(input.result)
  if (actual.toLowerCase() !== input.committedHash.toLowerCase()) {
    return { verdict: 'wrong-output', reason: `result hashes to ${actual}, committed ${input.committedHash}` }
  }
  if (input.reexecute && input.sampled) {
    const run = EXECUTORS[input.reexecute.executor]
    if (!run) return { verdict: 'unverifiable', reason: `unknown executor ${input.reexecute.executor}` }
    const expected = run(hexToBytes(input.reexecute.input))
    if (bytesToHex(expected) !== bytesToHex(input.result)) {
      return {
        verdict: 'wrong-output',
        reason: `re-execution with ${input.reexecute.executor} gives different bytes`,
      }
    }
  }
  return { verdict: 'ok' }
}
