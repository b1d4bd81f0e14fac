/**
 * Starts a worker thread on a module beside the caller: `name.js` when the caller is built JavaScript (the CLI's
 * .build/ tree, the installed package), `name.ts` in a checkout run through tsx. TypeScript needs tsx's loader
 * registered inside the worker before the module is imported: on Node 20 `execArgv: ['--import', 'tsx']` does
 * not apply to a worker's entry module, so a tiny eval'd bootstrap registers tsx and then imports the module.
 * tsx is resolved only then, as the installed package does not have it.
 */
import { Worker, type WorkerOptions } from 'node:worker_threads'

/** `callerUrl` is the caller's `import.meta.url`; `name` the worker module's file name without extension. */
export function startModuleWorker(
  callerUrl: string,
  name: string,
  options: Omit<WorkerOptions, 'eval'> = {},
): Worker {
  if (callerUrl.endsWith('.js')) return new Worker(new URL(`./${name}.js`, callerUrl), options)
  const bootstrap = `import(${JSON.stringify(import.meta.resolve('tsx/esm/api'))})
  .then((tsx) => { tsx.register(); return import(${JSON.stringify(new URL(`./${name}.ts`, callerUrl).href)}) })`
  return new Worker(bootstrap, { ...options, eval: true })
}
