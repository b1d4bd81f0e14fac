/**
 * `npm run package:size`: what an integrator downloads. Packs dist/ (after `npm run build`) without writing the
 * tarball and prints its size, its unpacked size, its file count and the largest parts, so a change in what ships
 * shows up in review.
 */
import { spawnSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import { join } from 'node:path'

const root = join(import.meta.dirname, '..', '..')
if (!existsSync(join(root, 'dist/package.json'))) {
  console.error('package:size: dist/ is not built; run `npm run build` first')
  process.exit(1)
}
const npm = spawnSync('npm', ['pack', './dist', '--dry-run', '--json', '--ignore-scripts'], {
  cwd: root,
  encoding: 'utf8',
})
if (npm.status !== 0) {
  console.error(`package:size: npm pack failed\n${npm.stderr}`)
  process.exit(1)
}
const [pack] = JSON.parse(npm.stdout) as {
  filename: string
  size: number
  unpackedSize: number
  entryCount: number
  files: { path: string; size: number }[]
}[]
const kB = (bytes: number) => `${(bytes / 1024).toFixed(1)} kB`
const parts = new Map<string, { bytes: number; files: number }>()
for (const file of pack!.files) {
  const part = file.path.includes('/') ? `${file.path.split('/')[0]}/` : file.path
  const entry = parts.get(part) ?? { bytes: 0, files: 0 }
  entry.bytes += file.size
  entry.files++
  parts.set(part, entry)
}
console.log(
  `${pack!.filename}: ${kB(pack!.size)} packed, ${kB(pack!.unpackedSize)} unpacked, ${pack!.entryCount} files`,
)
for (const [part, { bytes, files }] of [...parts].sort((a, b) => b[1].bytes - a[1].bytes)) {
  console.log(`  ${part.padEnd(16)} ${kB(bytes).padStart(10)}  ${String(files).padStart(4)} files`)
}
