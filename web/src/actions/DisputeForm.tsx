/** The operator disputes a pending slash within its window, posting the service's dispute bond. */

import { useState } from 'preact/hooks'
import type { Slash, Vault } from '../api/types.ts'
import { chainNow } from '../lib/clock.ts'
import { formatUnits } from '../lib/format.ts'
import { ActionBox, RunStatus, type Signer, SignerPicker, useRunner } from './ActionForm.tsx'
import { useConfig } from './useConfig.ts'

export function DisputeForm({ slash, vault }: { slash: Slash; vault: Vault | undefined }) {
  const config = useConfig().data
  const { run, go } = useRunner()
  const [signer, setSigner] = useState<Signer | null>(null)
  if (!config) return null
  // once the dispute is sent the slash is no longer pending, but the outcome stays on screen
  const disputable = slash.status === 'Pending' && slash.disputeEnds.unix > chainNow()
  if (!disputable && run.state === 'idle') return null
  const current: Signer =
    signer ??
    (config.devnet && vault
      ? { kind: 'devnetAddress', address: vault.operator }
      : config.devnet
        ? { kind: 'devnet', index: 4 }
        : { kind: 'wallet' })
  return (
    <ActionBox
      title="Dispute this slash"
      note={`Only the vault's operator may dispute. It posts a bond of ${formatUnits(slash.terms.disputeBond.base)} ${config.token.symbol}: lost to the reporters if the resolver upholds the slash, returned if it overturns it.`}
    >
      <form
        class="form"
        data-testid="dispute-form"
        onSubmit={(e) => {
          e.preventDefault()
          void go('Disputing', config, current, async (client, m) => {
            const tx = await m.runDispute(client, slash.id as `0x${string}`)
            return `Disputed in block ${tx.blockNumber}: the resolver now rules on it.`
          })
        }}
      >
        <SignerPicker
          config={config}
          indices={[4, 5]}
          label="Operator"
          value={current}
          onChange={setSigner}
          owner={vault ? { address: vault.operator, label: "the vault's operator (devnet)" } : undefined}
        />
        <button type="submit" disabled={run.state === 'running'}>
          Dispute
        </button>
      </form>
      <RunStatus run={run} />
    </ActionBox>
  )
}
