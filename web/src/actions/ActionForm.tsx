/**
 * What every action form shares: who signs (a devnet account for the role, or the browser wallet), the
 * running/done/failed state, and the message when it fails — the SDK's errors name the contract's custom error.
 */
import type { ComponentChildren } from 'preact'
import { useState } from 'preact/hooks'
import type { SuretyClient } from '../../../src/sdk/types.ts'
import type { DashboardConfig } from '../api/types.ts'

/** A devnet account by index, the devnet account holding an address (the operator of a vault), or a wallet. */
export type Signer =
  | { kind: 'devnet'; index: number }
  | { kind: 'devnetAddress'; address: string }
  | { kind: 'wallet' }
export type RunState =
  | { state: 'idle' }
  | { state: 'running'; what: string }
  | { state: 'done'; text: string }
  | { state: 'failed'; text: string }

export function useRunner() {
  const [run, setRun] = useState<RunState>({ state: 'idle' })
  async function go(
    what: string,
    config: DashboardConfig,
    signer: Signer,
    action: (client: SuretyClient, m: typeof import('./run.ts')) => Promise<string>,
  ) {
    setRun({ state: 'running', what })
    try {
      const m = await import('./run.ts')
      let client: SuretyClient
      if (signer.kind === 'wallet') client = await m.walletClient(config)
      else {
        const index = signer.kind === 'devnet' ? signer.index : m.devnetIndexOf(signer.address)
        if (index === undefined)
          throw new Error(
            `${signer.kind === 'devnetAddress' ? signer.address : ''} is not a devnet account: connect its wallet instead`,
          )
        client = m.devnetClient(config, index)
      }
      setRun({ state: 'done', text: await action(client, m) })
    } catch (error) {
      const e = error as { shortMessage?: string; message?: string }
      setRun({ state: 'failed', text: e.shortMessage ?? e.message ?? String(error) })
    }
  }
  return { run, go }
}

export function SignerPicker({
  config,
  indices,
  label,
  value,
  onChange,
  owner,
}: {
  config: DashboardConfig
  indices: readonly number[]
  label: string
  value: Signer
  onChange: (s: Signer) => void
  /** Offer "the devnet account of this address" (e.g. the vault's operator) first. */
  owner?: { address: string; label: string }
}) {
  return (
    <label>
      {label}
      <select
        name="signer"
        value={
          value.kind === 'devnet' ? String(value.index) : value.kind === 'devnetAddress' ? 'owner' : 'wallet'
        }
        onChange={(e) => {
          const v = (e.target as HTMLSelectElement).value
          if (v === 'owner' && owner) onChange({ kind: 'devnetAddress', address: owner.address })
          else onChange(v === 'wallet' ? { kind: 'wallet' } : { kind: 'devnet', index: Number(v) })
        }}
      >
        {config.devnet && owner ? <option value="owner">{owner.label}</option> : null}
        {config.devnet ? indices.map((i) => <option value={String(i)}>devnet account #{i}</option>) : null}
        <option value="wallet">browser wallet</option>
      </select>
    </label>
  )
}

export function RunStatus({ run }: { run: RunState }) {
  if (run.state === 'idle') return null
  const cls = { running: 'info', done: 'good', failed: 'bad' }[run.state]
  const text = run.state === 'running' ? `${run.what}… (signing and waiting for the block)` : run.text
  return (
    <p class={`run ${cls}`} role="status" data-run={run.state}>
      {text}
    </p>
  )
}

export function ActionBox({
  title,
  children,
  note,
}: {
  title: string
  children: ComponentChildren
  note?: string
}) {
  return (
    <details class="card action" open>
      <summary>{title}</summary>
      {note ? <p class="muted small">{note}</p> : null}
      {children}
    </details>
  )
}
