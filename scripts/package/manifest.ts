/**
 * The published package's manifest, written into dist/package.json by the build. The repository root is the
 * workspace (tests, benchmarks, the linter, a pinned anvil) and stays private; dist/ is what an integrator installs.
 * Publishing from dist/ lets the Solidity sit at `surety/contracts/interfaces/…` (as OpenZeppelin's does) and keeps
 * the workspace's platform binaries (Biome, anvil) out of every integrator's node_modules.
 */

export type RootManifest = {
  name: string
  version: string
  description?: string
  license?: string
  engines?: Record<string, string>
  dependencies?: Record<string, string>
  optionalDependencies?: Record<string, string>
}

/**
 * Entry points: subpath → module under src/ (without extension). Each gets JavaScript and types; tsconfig.types.json
 * lists the same modules (the build fails if one has no .d.ts).
 */
export const ENTRY_POINTS: Record<string, string> = {
  './sdk': 'sdk/index',
  './abis': 'sdk/abis',
  './risk': 'risk/index',
  './risk/node': 'risk/node',
  './deployments': 'deployments/index',
}

/** The integrator's copy is the one used: the SDK's clients are viem clients, typed against the app's viem. */
const PEERS = ['viem']

/**
 * Needed by one command each, not by the SDK: `surety node` stores its state in SQLite (better-sqlite3, a native
 * module), `surety devnet` runs anvil. The CLI names the package to install when a command needs one.
 */
const OPTIONAL_PEERS = ['better-sqlite3', /^@foundry-rs\/anvil-/]

/** Workspace tooling never installed by an integrator. */
const WORKSPACE_ONLY = [/^@biomejs\//]

const matches = (name: string, patterns: readonly (string | RegExp)[]) =>
  patterns.some((p) => (typeof p === 'string' ? p === name : p.test(name)))

/** `1.2.3` → `^1.2.3`: a peer accepts any compatible release from the one this version was tested with. */
const caret = (version: string) => (/^\d/.test(version) ? `^${version}` : version)

export function publishManifest(root: RootManifest): Record<string, unknown> {
  const all = { ...root.dependencies, ...root.optionalDependencies }
  const dependencies: Record<string, string> = {}
  const peerDependencies: Record<string, string> = {}
  const peerDependenciesMeta: Record<string, { optional: true }> = {}
  for (const [name, version] of Object.entries(all).sort(([a], [b]) => a.localeCompare(b))) {
    if (matches(name, WORKSPACE_ONLY)) continue
    if (matches(name, PEERS)) peerDependencies[name] = caret(version)
    else if (matches(name, OPTIONAL_PEERS)) {
      peerDependencies[name] = caret(version)
      peerDependenciesMeta[name] = { optional: true }
    } else dependencies[name] = version
  }
  const exports: Record<string, unknown> = {}
  for (const [subpath, module] of Object.entries(ENTRY_POINTS)) {
    exports[subpath] = { types: `./${module}.d.ts`, default: `./${module}.js` }
  }
  // Solidity by path, for tools that resolve through `exports` as well as those that join paths
  exports['./contracts/*'] = './contracts/*'
  exports['./package.json'] = './package.json'
  return {
    name: root.name,
    version: root.version,
    description: root.description,
    ...(root.license ? { license: root.license } : {}),
    type: 'module',
    engines: root.engines,
    exports,
    bin: { surety: './bin/surety.mjs' },
    files: ['**/*.js', '**/*.d.ts', '!**/*.test.*', 'contracts/**/*.sol', 'bin/', 'CHANGELOG.md'],
    // nothing runs on import: bundlers may drop what an app does not use (the bytecode beside the ABIs)
    sideEffects: false,
    dependencies,
    peerDependencies,
    peerDependenciesMeta,
  }
}
