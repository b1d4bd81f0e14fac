/**
 * An answer computed once per block and served stale while the next one is computed: for answers that take
 * seconds (the dashboard's risk verdict runs the solver and a simulation), on a chain that makes a block every
 * few seconds. Waiting for the current block's answer meant a page waited on almost every visit; instead a
 * request gets the newest finished answer at once (it names its own block) and starts the computation for the
 * head if none is running. Only the first request, with nothing finished yet, waits. At most one computation
 * runs at a time; one that fails is not kept, and the next request starts another.
 */
export type BlockCache<T> = {
  /** The answer for `head` if it is done, else the newest finished one, else the one being computed. */
  get(head: bigint): Promise<T>
}

export function createBlockCache<T>(compute: (block: bigint) => Promise<T>): BlockCache<T> {
  let latest: { block: bigint; value: T } | undefined
  let running: { block: bigint; value: Promise<T> } | undefined

  function start(block: bigint): Promise<T> {
    const value = compute(block)
    running = { block, value }
    value.then(
      (v) => {
        // a slower computation of an older block never replaces a newer answer
        if (!latest || latest.block <= block) latest = { block, value: v }
      },
      () => {},
    )
    const clear = () => {
      if (running?.value === value) running = undefined
    }
    value.then(clear, clear)
    return value
  }

  return {
    async get(head) {
      if (latest && latest.block === head) return latest.value
      const pending = running ?? { block: head, value: start(head) }
      if (latest) return latest.value
      return pending.value
    },
  }
}
