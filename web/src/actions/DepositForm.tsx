/** A staker deposits into this vault's pool and receives its liquid shares. */
import { useState } from 'preact/hooks'
import { formatUnits, parseUnits } from '../lib/format.ts'
import { ActionBox, RunStatus, type Signer, SignerPicker, useRunner } from './ActionForm.tsx'
import { useConfig } from './useConfig.ts'

export function DepositForm({ vault }: { vault: string }) {
  const config = useConfig().data
  const [amount, setAmount] = useState('1000')
  const [signer, setSigner] = useState<Signer>({ kind: 'devnet', index: 6 })
  const { run, go } = useRunner()
  if (!config) return null
  const parsed = parseUnits(amount, config.token.decimals)
  return (
    <ActionBox
      title="Deposit into this vault"
      note="Your stake joins the pool: it earns the services' fees and is slashable for their incidents."
    >
      <form
        class="form"
        data-testid="deposit-form"
        onSubmit={(e) => {
          e.preventDefault()
          if ('error' in parsed) return
          void go('Depositing', config, signer, async (client, m) => {
            const tx = await m.runDeposit(client, vault as `0x${string}`, parsed.value)
            return `Deposited ${formatUnits(parsed.value)} ${config.token.symbol}: ${formatUnits(tx.result)} shares minted in block ${tx.blockNumber}.`
          })
        }}
      >
        <label>
          Amount ({config.token.symbol})
          <input
            name="amount"
            inputMode="decimal"
            value={amount}
            onInput={(e) => setAmount((e.target as HTMLInputElement).value)}
          />
        </label>
        <SignerPicker
          config={config}
          indices={[6, 7, 8, 9]}
          label="Staker"
          value={signer}
          onChange={setSigner}
        />
        <button type="submit" disabled={'error' in parsed || run.state === 'running'}>
          Deposit
        </button>
        {'error' in parsed ? <p class="field-error">{parsed.error}</p> : null}
      </form>
      <RunStatus run={run} />
    </ActionBox>
  )
}
