/** An operator's vault: its two tranches, the share price over time, where its stake is allocated, its record. */

import { useMemo } from 'preact/hooks'
import { DepositForm } from '../../actions/DepositForm.tsx'
import type { Allocation, Rate, Slash, Vault } from '../../api/types.ts'
import { AsyncTable, type Column } from '../../components/DataTable.tsx'
import { LineChart } from '../../components/LineChart.tsx'
import { AddressText, ServiceLink, SlashLink } from '../../components/Link.tsx'
import { Standing } from '../../components/Standing.tsx'
import { Section, Stat, StatusBadge } from '../../components/Stat.tsx'
import { Async, Empty } from '../../components/States.tsx'
import { Countdown, DateText } from '../../components/Time.tsx'
import { Tokens } from '../../components/Token.tsx'
import type { Item, List } from '../../lib/api.ts'
import { formatBps, formatDuration } from '../../lib/format.ts'
import { useApi } from '../../lib/hooks.ts'
import { useVaultName } from '../../lib/vaultNames.ts'
import { OrderTable } from '../order/OrderTable.tsx'
import { Uptime } from './Uptime.tsx'

/**
 * Shares are minted 1,000 to the token at the start (the vault's virtual shares guard against the inflation
 * attack), so one share is worth about 0.001 STK: people read the price of 1,000 shares. A float for the chart and
 * the card only; amounts elsewhere stay exact.
 */
export const SHARES_QUOTED = 1000
const pricePer1000 = (sharePrice: { base: string }) =>
  Number((BigInt(sharePrice.base) * BigInt(SHARES_QUOTED)) / 10n ** 10n) / 1e8

export function RateChart({ rates }: { rates: Rate[] }) {
  const series = useMemo(() => {
    const ordered = [...rates].sort((a, b) => a.block - b.block || a.logIndex - b.logIndex)
    // changes within one second (a seeded devnet) cannot be told apart by time: plot them by block then
    const byTime = new Set(ordered.map((r) => r.time.unix)).size === ordered.length
    return {
      byTime,
      x: ordered.map((r) => (byTime ? r.time.unix : r.block)),
      values: ordered.map((r) => pricePer1000(r.sharePrice)),
    }
  }, [rates])
  const first = rates.at(-1)
  if (!first) return <Empty>No deposit has been made into this vault yet, so its shares have no price.</Empty>
  if (new Set(series.values).size === 1)
    return (
      <Empty>
        The exchange rate has not moved:{' '}
        {series.values[0]!.toLocaleString('en-US', { maximumFractionDigits: 6 })} STK per{' '}
        {SHARES_QUOTED.toLocaleString('en-US')} shares since <DateText time={first.time} />. Rewards raise it
        and slashes lower it; the chart appears with the first change.
      </Empty>
    )
  return (
    <LineChart
      title={`Value of ${SHARES_QUOTED.toLocaleString('en-US')} shares (STK)`}
      time={series.byTime}
      xLabel={series.byTime ? undefined : 'block'}
      x={series.x}
      series={[{ label: 'share price', values: series.values, color: '#2f6fdd', fill: true }]}
    />
  )
}

const ALLOCATION_COLUMNS: Column<Allocation>[] = [
  { head: 'Service', cell: (a) => <ServiceLink id={a.serviceId} /> },
  { head: 'Allocated', cell: (a) => <Tokens amount={a.amount} /> },
  {
    head: 'Queued increase',
    cell: (a) =>
      a.queuedIncrease ? (
        <>
          <Tokens amount={a.queuedIncrease.amount} /> <Countdown to={a.queuedIncrease.readyAt} />
        </>
      ) : (
        <span class="muted">—</span>
      ),
  },
  {
    head: 'Reputation',
    cell: (a) => `${a.reputation.orderSuccesses} settled, ${a.reputation.orderFailures} failed`,
  },
  { head: 'Standing', cell: (a) => <Standing banned={a.banned} jailedUntil={a.jailedUntil} /> },
]

export default function VaultPage({ address }: { address: string }) {
  const name = useVaultName(address)
  const vault = useApi<Item<Vault>>(`/v1/vaults/${address}`)
  const rates = useApi<List<Rate>>(`/v1/vaults/${address}/rates?limit=500&order=desc`)
  const allocations = useApi<List<Allocation>>(`/v1/allocations?vault=${address}&limit=100`)
  const slashes = useApi<List<Slash>>(`/v1/slashes?vault=${address}&limit=50&sort=requested`)
  return (
    <>
      <h1 data-testid="vault-title">
        {name ? `${name} ` : 'Operator vault '}
        <AddressText address={address} />
      </h1>
      <Async resource={vault} what="the vault">
        {({ data: v }) => (
          <>
            <p class="muted">
              Operator <AddressText address={v.operator} /> · commission {formatBps(v.commissionBps)} ·
              restaking cap {formatBps(v.restakingCapBps)} · withdrawals wait{' '}
              {formatDuration(v.withdrawalDelaySeconds)}
            </p>
            <div class="stats" data-testid="vault-stats">
              <Stat label="Bond (first loss)" note="the operator's own stake, slashed first">
                <Tokens amount={v.bond} />
              </Stat>
              <Stat
                label="Delegated pool"
                note={`${Number(v.totalShares.units).toLocaleString('en-US', { maximumFractionDigits: 0 })} shares`}
              >
                <Tokens amount={v.poolAssets} />
              </Stat>
              <Stat
                label={`Price of ${SHARES_QUOTED.toLocaleString('en-US')} shares`}
                note="STK they are worth now, net of pending slashes"
              >
                <span data-testid="share-price">
                  {pricePer1000(v.sharePrice).toLocaleString('en-US', { maximumFractionDigits: 6 })}
                </span>
              </Stat>
              <Stat
                label="Pending slashes"
                tone={v.pendingLiabilities.base !== '0' ? 'bad' : undefined}
                note="liabilities deposits and withdrawals are priced net of"
              >
                <Tokens amount={v.pendingLiabilities} />
              </Stat>
              <Stat
                label="Allocated"
                note={`${formatBps(Number((BigInt(v.totalAllocated.base) * 10000n) / (BigInt(v.bond.base) + BigInt(v.poolAssets.base) || 1n)))} of its stake`}
              >
                <Tokens amount={v.totalAllocated} />
              </Stat>
              <Stat label="Held by orders" note="collateral reserved for open orders">
                <Tokens amount={v.totalReserved} />
              </Stat>
              <Stat
                label="Slashed so far"
                note={
                  <>
                    bond <Tokens amount={v.slashedFromBond} />, pool <Tokens amount={v.slashedFromPool} />
                  </>
                }
              >
                <Tokens
                  amount={{
                    base: (BigInt(v.slashedFromBond.base) + BigInt(v.slashedFromPool.base)).toString(),
                    units: '',
                  }}
                />
              </Stat>
              <Stat label="Queued withdrawals" note="still slashable until claimed">
                <Tokens amount={v.queuedAssets} />
              </Stat>
            </div>
            {v.bondWithdrawal ? (
              <p class="notice">
                The operator asked to withdraw <Tokens amount={v.bondWithdrawal.amount} /> of its bond, ready{' '}
                <Countdown to={v.bondWithdrawal.readyAt} />.
              </p>
            ) : null}
          </>
        )}
      </Async>
      <DepositForm vault={address} />
      <Section title="Exchange rate of the liquid token">
        <Async resource={rates} what="the rate history">
          {({ data }) => <RateChart rates={data} />}
        </Async>
      </Section>
      <Section title="Uptime measured by the attesters">
        <Uptime vault={address} />
      </Section>
      <Section title="Allocations and reputation">
        <AsyncTable
          resource={allocations}
          what="allocations"
          empty="This vault has not allocated stake to any service: it secures nothing yet."
          columns={ALLOCATION_COLUMNS}
          rowKey={(a) => a.serviceId}
        />
      </Section>
      <Section title="Slashes">
        <Async resource={slashes} what="slashes">
          {({ data }) =>
            data.length === 0 ? (
              <Empty>This vault has never been slashed.</Empty>
            ) : (
              <ul class="list">
                {data.map((s) => (
                  <li key={s.id}>
                    <SlashLink id={s.id} /> <StatusBadge status={s.status} /> <Tokens amount={s.amount} /> on{' '}
                    <ServiceLink id={s.serviceId} />, <DateText time={s.report.requestedAt} />
                  </li>
                ))}
              </ul>
            )
          }
        </Async>
      </Section>
      <Section title="Orders">
        <OrderTable query={`vault=${address}&sort=updated`} empty="This vault has no orders." />
      </Section>
    </>
  )
}
