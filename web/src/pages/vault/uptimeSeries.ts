/**
 * A vault's measured uptime for one service as chart data: the committee's median and each attester's own figure
 * per epoch (percent), and the service's minimum as a flat line. Pure, so it is tested without a browser.
 */
import type { VaultUptime } from '../../api/types.ts'
import type { ChartSeries } from '../../components/LineChart.tsx'
import { shortAddress } from '../../lib/format.ts'

const ATTESTER_COLORS = ['#9bb7e8', '#e0a96d', '#a3d3b5', '#c9a3d9', '#e8a0a0', '#b0b0b0']

export function uptimeSeries(s: VaultUptime['services'][number]): { x: number[]; series: ChartSeries[] } {
  const x = s.epochs.map((e) => e.start.unix)
  const attesters = [...new Set(s.epochs.flatMap((e) => e.attesters.map((a) => a.attester)))].sort()
  return {
    x,
    series: [
      ...attesters.map((a, i) => ({
        label: shortAddress(a),
        unit: '%',
        // an attester without samples in an epoch leaves a gap rather than a false zero
        values: s.epochs.map((e) => {
          const m = e.attesters.find((x) => x.attester === a)
          return m ? m.uptimeBps / 100 : null
        }),
        color: ATTESTER_COLORS[i % ATTESTER_COLORS.length]!,
      })),
      // drawn after the attesters' lines, so it stays on top where they agree
      {
        label: 'committee median',
        unit: '%',
        values: s.epochs.map((e) => e.medianBps / 100),
        color: '#2f6fdd',
      },
      { label: 'required', unit: '%', values: x.map(() => s.minUptimeBps / 100), color: '#c0392b' },
    ],
  }
}

/** Epochs whose committee median fell below the service's minimum. */
export const epochsBelow = (s: VaultUptime['services'][number]) =>
  s.epochs.filter((e) => e.medianBps < s.minUptimeBps)
