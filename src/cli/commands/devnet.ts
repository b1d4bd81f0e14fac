import { parseArgs } from 'node:util'
import { startDevnet } from '../../chain/devnet.ts'
import { InvalidInputError } from '../../errors.ts'
import type { Command } from '../main.ts'

const usage = `Usage: surety devnet [--port 8545] [--no-seed] [--json]

Starts a local chain (anvil), deploys Surety, seeds a demo world (one service with a 5-member committee, two
operators with bonded, delegated and allocated vaults) and writes .surety/deployments/31337.json.
Runs until interrupted (Ctrl-C).`

export const command: Command = {
  summary: 'start a local chain with Surety deployed and a demo world seeded',
  usage,
  async run(args) {
    const { values } = parseArgs({
      args,
      options: {
        port: { type: 'string', default: '8545' },
        'no-seed': { type: 'boolean' },
        json: { type: 'boolean' },
      },
    })
    const port = Number(values.port)
    if (!Number.isInteger(port) || port <= 0 || port > 65535)
      throw new InvalidInputError(`--port must be a TCP port, got '${values.port}'`)
    const devnet = await startDevnet({ port, seed: !values['no-seed'] })
    const summary = {
      rpcUrl: devnet.anvil.rpcUrl,
      chainId: devnet.deployment.chainId,
      manifest: devnet.manifestPath,
      addresses: devnet.deployment.addresses,
      serviceId: devnet.world?.serviceId.toString(),
      vaults: devnet.world?.vaults,
    }
    if (values.json) console.log(JSON.stringify(summary))
    else {
      console.log(`Surety devnet running at ${summary.rpcUrl} (chain ${summary.chainId})`)
      console.log(`  manifest    ${summary.manifest}`)
      for (const [name, address] of Object.entries(summary.addresses))
        console.log(`  ${name.padEnd(12)}${address}`)
      if (devnet.world) {
        console.log(`  service     #${summary.serviceId} (5 attesters, quorum 60%)`)
        for (const v of devnet.world.vaults) console.log(`  vault       ${v}`)
      }
      console.log('Accounts use the standard test mnemonic; press Ctrl-C to stop.')
    }
    // The chain process is unref'd (tests must never hang on it), so hold this process open ourselves until asked
    // to stop; if the chain dies on its own, say so and stop too.
    const keepAlive = setInterval(() => {}, 1 << 30)
    const reason = await new Promise<string>((resolve) => {
      process.once('SIGINT', () => resolve('interrupted'))
      process.once('SIGTERM', () => resolve('terminated'))
      devnet.anvil.process.once('exit', (code) => resolve(`the chain exited (code ${code})`))
    })
    clearInterval(keepAlive)
    await devnet.stop()
    console.error(`devnet stopped: ${reason}`)
    return reason.startsWith('the chain') ? 1 : 0
  },
}
