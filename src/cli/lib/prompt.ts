/** Terminal prompts: a yes/no confirmation and a password read without echo. */
import { createInterface } from 'node:readline'

export function promptLine(question: string): Promise<string> {
  const rl = createInterface({ input: process.stdin, output: process.stderr })
  return new Promise((resolve) =>
    rl.question(question, (answer) => {
      rl.close()
      resolve(answer)
    }),
  )
}

/** Reads a line without echoing what is typed (a keystore password). */
export function promptHidden(question: string): Promise<string> {
  const rl = createInterface({ input: process.stdin, output: process.stderr, terminal: true })
  const output = rl as unknown as { _writeToOutput: (s: string) => void }
  process.stderr.write(question)
  output._writeToOutput = () => {}
  return new Promise((resolve) =>
    rl.question('', (answer) => {
      rl.close()
      process.stderr.write('\n')
      resolve(answer)
    }),
  )
}
