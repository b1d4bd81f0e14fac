/**
 * The dashboard's build: Preact through Vite's built-in JSX transform (no Babel preset), one entry, hashed assets
 * under /assets/ so the API can cache them forever. `npm run build:web` writes web/dist/, which
 * src/api/serveDashboard.ts serves; nothing is fetched from a CDN at build or run time.
 */
import { fileURLToPath } from 'node:url'
import { defineConfig } from 'vite'

const root = fileURLToPath(new URL('.', import.meta.url))

export default defineConfig({
  root,
  base: '/',
  oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
  build: {
    outDir: fileURLToPath(new URL('./dist', import.meta.url)),
    emptyOutDir: true,
    target: 'es2022',
    // the devnet actions (viem, the SDK and its ABIs: ~440 KB, ~108 KB gzipped) load on demand, off the first load
    chunkSizeWarningLimit: 500,
    reportCompressedSize: false,
  },
  server: {
    // `npm run dev:web` against a running API (SURETY_API, default :8787)
    proxy: {
      '/v1': process.env.SURETY_API ?? 'http://127.0.0.1:8787',
      '/openapi.json': process.env.SURETY_API ?? 'http://127.0.0.1:8787',
    },
  },
})
