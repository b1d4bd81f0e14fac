import { render } from 'preact'
import { App } from './App.tsx'
import { connectLive } from './lib/live.ts'
import { STREAM_TYPES } from './lib/streamTypes.ts'
import './styles.css'

connectLive(STREAM_TYPES)
const root = document.getElementById('app')!
// the boot message is plain HTML for the moment before the script runs; the app replaces it
root.textContent = ''
render(<App />, root)
