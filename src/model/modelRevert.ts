/** The error a model action raises when the contracts would revert: the custom error's name. */
export class ModelRevert extends Error {
  override name = 'ModelRevert'
  constructor(readonly errorName: string) {
    super(errorName)
  }
}

export const fail = (errorName: string): never => {
  throw new ModelRevert(errorName)
}

export const ZERO_ADDRESS = '0x0000000000000000000000000000000000000000'
export const addr = (a: string) => a.toLowerCase()
