/** A staker's position: value per vault, what is slashable and until when, queued withdrawals, yield inputs. */
import { useState } from 'preact/hooks'
import type { Position, Vault, Withdrawal } from '../../api/types.ts'
import { AddressText, Link, VaultLink } from '../../components/Link.tsx'
import { Section, Stat } from '../../components/Stat.tsx'
import { Async, Empty } from '../../components/States.tsx'
import { Countdown, DateText } from '../../components/Time.tsx'
import { Tokens } from '../../components/Token.tsx'
import type { List } from '../../lib/api.ts'
import { formatBps, formatDuration } from '../../lib/format.ts'
import { useApi } from '../../lib/hooks.ts'
import { navigate } from '../../lib/router.ts'

/** Devnet stakers (src/chain/devnet.ts accounts 6–9), offered as examples. */
const DEVNET_STAKERS = [
  '0x976EA74026E726554dB657fA54763abd0C3a0aa9',
  '0x14dC79964da2C08b23698B3D3cc7Ca32193d9955',
  '0x23618e81E3f5cdF7f54C3d65f7FBc0aBf5B21E8f',
  '0xa0Ee7A142d267C1f36714E4a8F75612F20a79720',
]

export default function PositionPage({ address }: { address: string | undefined }) {
  const [text, setText] = useState(address ?? '')
  const valid = /^0x[0-9a-fA-F]{40}$/.test(text.trim())
  return (
    <>
      <h1>My position</h1>
      <form
        class="form inline"
        onSubmit={(e) => {
          e.preventDefault()
          if (valid) navigate(`/position/${text.trim().toLowerCase()}`)
        }}
      >
        <label class="wide">
          Staker address
          <input
            name="address"
            placeholder="0x…"
            value={text}
            onInput={(e) => setText((e.target as HTMLInputElement).value)}
          />
        </label>
        <button type="submit" disabled={!valid}>
          Show
        </button>
        {text && !valid ? <p class="field-error">an address is 0x and 40 hex digits</p> : null}
      </form>
      {address ? (
        <Holdings address={address} />
      ) : (
        <p class="muted">
          Enter the address you stake from. On the devnet, try{' '}
          {DEVNET_STAKERS.map((a, i) => (
            <span key={a}>
              {i > 0 ? ', ' : ''}
              <Link href={`/position/${a.toLowerCase()}`}>staker {i + 1}</Link>
            </span>
          ))}
          .
        </p>
      )}
    </>
  )
}

function Holdings({ address }: { address: string }) {
  const positions = useApi<List<Position>>(`/v1/stakers/${address}/positions?limit=100`)
  const withdrawals = useApi<List<Withdrawal>>(`/v1/stakers/${address}/withdrawals?limit=100&claimed=false`)
  const vaults = useApi<List<Vault>>('/v1/vaults?limit=100')
  const vaultOf = new Map((vaults.data?.data ?? []).map((v) => [v.address, v]))
  return (
    <>
      <p class="muted">
        Staker <AddressText address={address} />
      </p>
      <Async resource={positions} what="positions">
        {({ data }) => {
          const held = data.filter((p) => p.shares.base !== '0')
          if (held.length === 0)
            return <Empty>This address holds no vault shares. Deposit from a vault's page to start.</Empty>
          const total = held.reduce((a, p) => a + BigInt(p.value.base), 0n)
          const deposited = held.reduce((a, p) => a + BigInt(p.deposited.base), 0n)
          const withdrawn = held.reduce((a, p) => a + BigInt(p.withdrawn.base), 0n)
          const gain = total + withdrawn - deposited
          return (
            <>
              <div class="stats" data-testid="position-stats">
                <Stat label="Value now" note="net of pending slashes, as a withdrawal would pay">
                  <Tokens amount={{ base: total.toString(), units: '' }} />
                </Stat>
                <Stat label="Slashable now" note="all of it, until a withdrawal is claimed">
                  <Tokens amount={{ base: total.toString(), units: '' }} />
                </Stat>
                <Stat
                  label="Gain so far"
                  tone={gain < 0n ? 'bad' : 'good'}
                  note="value + withdrawn − deposited: rewards less slashes"
                >
                  <Tokens amount={{ base: gain.toString(), units: '' }} />
                </Stat>
              </div>
              <Section title="By vault">
                <table class="table" data-testid="positions">
                  <thead>
                    <tr>
                      <th>Vault</th>
                      <th>Shares</th>
                      <th>Value</th>
                      <th>Deposited</th>
                      <th>Yield inputs</th>
                      <th>Slashable until</th>
                    </tr>
                  </thead>
                  <tbody>
                    {held.map((p) => {
                      const v = vaultOf.get(p.vault)
                      return (
                        <tr key={p.vault}>
                          <td>
                            <VaultLink address={p.vault} />
                          </td>
                          <td>
                            {Number(p.shares.units).toLocaleString('en-US', { maximumFractionDigits: 4 })}
                          </td>
                          <td>
                            <Tokens amount={p.value} />
                          </td>
                          <td>
                            <Tokens amount={p.deposited} />
                          </td>
                          <td>
                            {v ? (
                              <>
                                {(Number(v.sharePrice.units) * 1000).toLocaleString('en-US', {
                                  maximumFractionDigits: 4,
                                })}{' '}
                                STK per 1,000 shares; the operator keeps {formatBps(v.commissionBps)} of
                                rewards; the vault has claimed <Tokens amount={v.rewardsClaimed} /> of rewards
                                {BigInt(p.deposited.base) > 0n
                                  ? `; your value is ${((Number(BigInt(p.value.base) + BigInt(p.withdrawn.base)) / Number(BigInt(p.deposited.base)) - 1) * 100).toFixed(2)}% from what you put in`
                                  : ''}
                              </>
                            ) : (
                              '…'
                            )}
                          </td>
                          <td>
                            {v
                              ? `${formatDuration(v.withdrawalDelaySeconds)} after you ask to withdraw`
                              : '…'}
                          </td>
                        </tr>
                      )
                    })}
                  </tbody>
                </table>
              </Section>
            </>
          )
        }}
      </Async>
      <Section title="Queued withdrawals">
        <Async resource={withdrawals} what="withdrawals">
          {({ data }) =>
            data.length === 0 ? (
              <Empty>No withdrawal is queued.</Empty>
            ) : (
              <table class="table">
                <thead>
                  <tr>
                    <th>Vault</th>
                    <th>Assets (at most)</th>
                    <th>Asked</th>
                    <th>Ready</th>
                  </tr>
                </thead>
                <tbody>
                  {data.map((w) => (
                    <tr key={`${w.vault}:${w.id}`}>
                      <td>
                        <VaultLink address={w.vault} />
                      </td>
                      <td>
                        <Tokens amount={w.assets} />
                      </td>
                      <td>
                        <DateText time={w.requestedAt} />
                      </td>
                      <td>
                        <Countdown to={w.readyAt} done="claimable" />
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )
          }
        </Async>
      </Section>
    </>
  )
}
