/** A client opens an order: a job for a named operator, or an intent operators bid on; the budget is escrowed. */
import { useState } from 'preact/hooks'
import type { Service, Vault } from '../api/types.ts'
import type { List } from '../lib/api.ts'
import { formatUnits, parseUnits, shortAddress } from '../lib/format.ts'
import { useApi } from '../lib/hooks.ts'
import { serviceNameOf } from '../lib/labels.ts'
import { navigate } from '../lib/router.ts'
import { ActionBox, RunStatus, type Signer, SignerPicker, useRunner } from './ActionForm.tsx'
import { useConfig } from './useConfig.ts'

export function OpenOrderForm() {
  const config = useConfig().data
  const labels = config?.labels
  const services = useApi<List<Service>>('/v1/services?limit=100', { live: false }).data?.data ?? []
  const vaults = useApi<List<Vault>>('/v1/vaults?limit=100', { live: false }).data?.data ?? []
  const [service, setService] = useState('')
  const [vault, setVault] = useState('')
  const [budget, setBudget] = useState('100')
  const [hours, setHours] = useState('24')
  const [note, setNote] = useState('render 120 frames, 4K')
  const [signer, setSigner] = useState<Signer>({ kind: 'devnet', index: 15 })
  const { run, go } = useRunner()
  if (!config) return null
  const serviceId = service || services[0]?.id || ''
  const parsed = parseUnits(budget, config.token.decimals)
  const h = Number(hours)
  const hoursError =
    Number.isInteger(h) && h >= 1 && h <= 24 * 30 ? '' : 'the duration is whole hours, 1 to 720'
  return (
    <ActionBox
      title="Open an order"
      note="The budget is held in escrow: the operator is paid as milestones settle, and a failure refunds you and slashes its collateral to you."
    >
      <form
        class="form"
        data-testid="order-form"
        onSubmit={(e) => {
          e.preventDefault()
          if ('error' in parsed || hoursError || !serviceId) return
          void go('Opening the order', config, signer, async (client, m) => {
            const tx = await m.runOpenOrder(client, {
              serviceId: BigInt(serviceId),
              vault: (vault || null) as `0x${string}` | null,
              budget: parsed.value,
              hours: h,
              note,
            })
            const id = tx.result.orderId.toString()
            setTimeout(() => navigate(`/orders/${id}`), 800)
            return `Order #${id} opened with ${formatUnits(parsed.value)} ${config.token.symbol} in escrow (block ${tx.blockNumber}).`
          })
        }}
      >
        <label>
          Service
          <select
            name="service"
            value={serviceId}
            onChange={(e) => setService((e.target as HTMLSelectElement).value)}
          >
            {services.map((s) => (
              <option value={s.id}>
                Service #{s.id}
                {serviceNameOf(labels, s.id) ? ` · ${serviceNameOf(labels, s.id)}` : ''}
              </option>
            ))}
          </select>
        </label>
        <label>
          Operator
          <select
            name="vault"
            value={vault}
            onChange={(e) => setVault((e.target as HTMLSelectElement).value)}
          >
            <option value="">any — take bids for 2 h</option>
            {vaults.map((v) => (
              <option value={v.address}>vault {shortAddress(v.address)}</option>
            ))}
          </select>
        </label>
        <label>
          Budget ({config.token.symbol})
          <input
            name="budget"
            inputMode="decimal"
            value={budget}
            onInput={(e) => setBudget((e.target as HTMLInputElement).value)}
          />
        </label>
        <label>
          Duration (hours)
          <input
            name="hours"
            inputMode="numeric"
            value={hours}
            onInput={(e) => setHours((e.target as HTMLInputElement).value)}
          />
        </label>
        <label class="wide">
          What is ordered (its hash goes on chain)
          <input name="note" value={note} onInput={(e) => setNote((e.target as HTMLInputElement).value)} />
        </label>
        <SignerPicker
          config={config}
          indices={[15, 16, 17]}
          label="Client"
          value={signer}
          onChange={setSigner}
        />
        <button
          type="submit"
          disabled={'error' in parsed || !!hoursError || !serviceId || run.state === 'running'}
        >
          Open order
        </button>
        {'error' in parsed ? <p class="field-error">{parsed.error}</p> : null}
        {hoursError ? <p class="field-error">{hoursError}</p> : null}
        {services.length === 0 ? <p class="field-error">no service exists to order from yet</p> : null}
      </form>
      <RunStatus run={run} />
    </ActionBox>
  )
}
