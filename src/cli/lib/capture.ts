/**
 * The exact call an SDK action would send, without sending it: the action runs against a client whose wallet
 * stops at `writeContract` and hands back the request the SDK simulated (so the capture is also a simulation; a
 * revert surfaces as the SDK's ContractRevertedError). Commands whose SDK action builds its own arguments (the
 * order book's) use it to feed the shared write pipeline with the call as sent.
 */
import type { SuretyClient } from '../../sdk/types.ts'
import type { Call } from './write.ts'

class Captured extends Error {
  constructor(readonly call: Call) {
    super('captured')
  }
}

export async function captureCall(
  client: SuretyClient,
  action: (c: SuretyClient) => Promise<unknown>,
): Promise<Call> {
  const wallet = new Proxy(client.wallet, {
    get(target, key, receiver) {
      if (key === 'writeContract')
        return async (request: Call) => {
          throw new Captured({
            address: request.address,
            abi: request.abi,
            functionName: request.functionName,
            args: request.args ?? [],
          })
        }
      return Reflect.get(target, key, receiver)
    },
  })
  try {
    await action({ ...client, wallet })
  } catch (error) {
    for (let e: unknown = error; e instanceof Error; e = e.cause) if (e instanceof Captured) return e.call
    throw error
  }
  throw new Error('the action sent no transaction')
}
