import type { Command } from '../main.ts'

export const command: Command = {
  summary: 'run the main job (what `npm start` runs)',
  usage: 'Usage: surety start\n\nStarts the local devnet with the full system once it exists; for now, lists what is available.',
  async run() {
    console.log('Surety — available now:')
    console.log('  npm test               run every test on a real local chain (anvil)')
    console.log('  npm run bench:gas      measure gas per operation, write bench/gas.json')
    console.log('  npx surety --help      the command-line tool')
  },
}
