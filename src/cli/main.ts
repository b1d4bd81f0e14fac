/**
 * `surety` — the command-line entry point. Each subcommand lives in its own file under ./commands and is
 * loaded on demand, so adding a command never touches this file.
 */
import { existsSync, readdirSync } from 'node:fs'
import { dirname, extname, join } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { describeError } from './lib/explain.ts'
import { parseError } from './lib/options.ts'

export type Command = {
  summary: string
  usage: string
  run: (args: string[]) => Promise<number | undefined | void>
  /** Help for `surety <command> [sub] --help` when it depends on the subcommand (see lib/group.ts). */
  help?: (args: string[]) => Promise<string>
}

const commandsDir = join(dirname(fileURLToPath(import.meta.url)), 'commands')
// `.ts` in a checkout (run through tsx), `.js` in the installed package (built into dist/): the commands are
// whatever files sit beside this one with its own extension (a built package also holds `.d.ts` files).
const ext = extname(fileURLToPath(import.meta.url))

function listCommands(): string[] {
  return readdirSync(commandsDir)
    .filter((f) => f.endsWith(ext) && !f.endsWith(`.test${ext}`) && !f.endsWith(`.d${ext}`))
    .map((f) => f.slice(0, -ext.length))
    .sort()
}

async function loadCommand(name: string): Promise<Command> {
  const mod = await import(pathToFileURL(join(commandsDir, `${name}${ext}`)).href)
  return mod.command as Command
}

/**
 * The package a command could not load, when it is one the installed package leaves to the user (an optional
 * peer dependency such as better-sqlite3 for the node), so the user is told what to install, not shown a trace.
 */
function missingPackage(error: unknown): string | undefined {
  const code = (error as { code?: string } | undefined)?.code
  if (code !== 'ERR_MODULE_NOT_FOUND' && code !== 'MODULE_NOT_FOUND') return undefined
  const match = /(?:Cannot find (?:package|module) ')((?:@[^/']+\/)?[^/'.][^/']*)/.exec(String(error))
  return match?.[1]
}

async function printHelp() {
  console.log('surety — service-level agreements as bonds\n\nUsage: surety <command> [options]\n\nCommands:')
  for (const name of listCommands()) {
    let summary: string
    try {
      summary = (await loadCommand(name)).summary
    } catch (error) {
      const missing = missingPackage(error)
      if (!missing) throw error
      summary = `(needs the package '${missing}': npm install ${missing})`
    }
    console.log(`  ${name.padEnd(12)} ${summary}`)
  }
  console.log('\nRun `surety <command> --help` for a command’s options. Add --json for machine output.')
}

/**
 * `surety … | head` closes our stdout early: Node then throws EPIPE from the next console.log as an unhandled
 * error with a stack. A reader that has seen enough is not a failure; stop like a Unix tool killed by SIGPIPE.
 */
let watchingPipes = false
function exitWhenReaderCloses(): void {
  if (watchingPipes) return
  watchingPipes = true
  for (const stream of [process.stdout, process.stderr]) {
    stream.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'EPIPE') process.exit(0)
      throw error
    })
  }
}

export async function main(argv: string[]): Promise<number> {
  exitWhenReaderCloses()
  const [name, ...rest] = argv
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    await printHelp()
    return 0
  }
  if (!/^[a-z][a-z-]*$/.test(name) || !existsSync(join(commandsDir, `${name}${ext}`))) {
    console.error(`surety: unknown command '${name}'. Run \`surety --help\` for the list.`)
    return 2
  }
  try {
    const command = await loadCommand(name)
    if (rest.includes('--help') || rest.includes('-h')) {
      console.log(command.help ? await command.help(rest) : command.usage)
      return 0
    }
    const code = await command.run(rest)
    return typeof code === 'number' ? code : 0
  } catch (error) {
    const missing = missingPackage(error)
    if (missing) {
      console.error(`surety ${name}: this command needs the package '${missing}', which is not installed.`)
      console.error(`Install it beside surety: npm install ${missing}`)
      return 1
    }
    // one line for every failure, bad input or a chain that refused or could not be reached; the stack only on request
    console.error(`surety ${name}: ${await describeError(parseError(name, error))}`)
    if (process.env.SURETY_DEBUG) console.error(error)
    return 1
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (error) => {
      console.error(error)
      process.exit(1)
    },
  )
}
