/**
 * `surety` — the command-line entry point. Each subcommand lives in its own file under ./commands and is
 * loaded on demand, so adding a command never touches this file.
 */
import { existsSync, readdirSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
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

function listCommands(): string[] {
  return readdirSync(commandsDir)
    .filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts'))
    .map((f) => f.slice(0, -3))
    .sort()
}

async function loadCommand(name: string): Promise<Command> {
  const mod = await import(join(commandsDir, `${name}.ts`))
  return mod.command as Command
}

async function printHelp() {
  console.log('surety — service-level agreements as bonds\n\nUsage: surety <command> [options]\n\nCommands:')
  for (const name of listCommands()) {
    const cmd = await loadCommand(name)
    console.log(`  ${name.padEnd(12)} ${cmd.summary}`)
  }
  console.log('\nRun `surety <command> --help` for a command’s options. Add --json for machine output.')
}

export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    await printHelp()
    return 0
  }
  if (!/^[a-z][a-z-]*$/.test(name) || !existsSync(join(commandsDir, `${name}.ts`))) {
    console.error(`surety: unknown command '${name}'. Run \`surety --help\` for the list.`)
    return 2
  }
  const command = await loadCommand(name)
  if (rest.includes('--help') || rest.includes('-h')) {
    console.log(command.help ? await command.help(rest) : command.usage)
    return 0
  }
  try {
    const code = await command.run(rest)
    return typeof code === 'number' ? code : 0
  } catch (error) {
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
