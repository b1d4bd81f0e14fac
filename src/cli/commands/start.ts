import type { Command } from '../main.ts'
import { command as devnet } from './devnet.ts'

export const command: Command = {
  summary: 'run the main job (what `npm start` runs): the devnet with its living world',
  usage: `Usage: surety start [devnet options]\n\nSame as \`surety devnet\`.\n\n${devnet.usage}`,
  run: (args) => devnet.run(args),
}
