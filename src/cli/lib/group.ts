/**
 * Commands with subcommands (`surety vault deposit`): each subcommand in its own file, loaded on demand, with
 * its own --help. A subcommand is a small module exporting `sub`.
 */
import { InvalidInputError } from '../../errors.ts'
import type { Command } from '../main.ts'

export type Sub = {
  summary: string
  /** The options and what they mean (the command line itself is built from the group's name). */
  usage: string
  run: (args: string[]) => Promise<number | undefined | void>
}

export type SubLoader = () => Promise<{ sub: Sub }>

/** A command made of subcommands: `surety <name> <sub> [args]`, `surety <name> <sub> --help`. */
export function group(name: string, summary: string, subs: Record<string, SubLoader>, footer = ''): Command {
  const overview = async () => {
    const lines = [`Usage: surety ${name} <subcommand> [options]`, '', `${summary}.`, '', 'Subcommands:']
    for (const [key, load] of Object.entries(subs)) {
      const { sub } = await load()
      lines.push(`  ${key.padEnd(16)} ${sub.summary}`)
    }
    lines.push(
      '',
      `Run \`surety ${name} <subcommand> --help\` for its options.${footer ? `\n\n${footer}` : ''}`,
    )
    return lines.join('\n')
  }
  /** The longest subcommand name the arguments start with ("bond add" before "bond"). */
  const find = (args: string[]) => {
    for (const take of [2, 1]) {
      const key = args.slice(0, take).join(' ')
      if (args.length >= take && subs[key]) return { key, rest: args.slice(take) }
    }
    return undefined
  }
  return {
    summary,
    usage: `surety ${name}: run \`surety ${name} --help\``,
    async help(args) {
      const found = find(args.filter((a) => a !== '--help' && a !== '-h'))
      if (!found) return overview()
      const { sub } = await subs[found.key]!()
      return `Usage: surety ${name} ${found.key} ${sub.usage}`
    },
    async run(args) {
      const found = find(args)
      if (!found) {
        const given = args[0]
        throw new InvalidInputError(
          given === undefined || given.startsWith('-')
            ? `which one? surety ${name} ${Object.keys(subs).join(' | ')} (see \`surety ${name} --help\`)`
            : `unknown subcommand '${Object.keys(subs).some((k) => k.startsWith(`${given} `)) && args[1] && !args[1].startsWith('-') ? args.slice(0, 2).join(' ') : given}': one of ${Object.keys(subs).join(', ')}`,
        )
      }
      const { sub } = await subs[found.key]!()
      return sub.run(found.rest)
    },
  }
}
