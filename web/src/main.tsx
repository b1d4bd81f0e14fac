import { render } from 'preact'
import { App } from './App.tsx'
import { STREAM_TYPES } from './lib/streamTypes.ts'
import { connectLive } from './lib/live.ts'
import './styles.css'

connectLive(STREAM_TYPES)
render(<App />, document.getElementById('app')!)
