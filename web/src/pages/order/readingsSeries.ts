/**
 * A shipment's readings as chart data: temperature in °C over time, the allowed range as two flat lines, and the
 * pickup and delivery deadlines as markers. Pure, so it is tested without a browser.
 */
import type { OrderReadings } from '../../api/types.ts'
import type { ChartMarker, ChartSeries } from '../../components/LineChart.tsx'

export type ReadingsChartData = { x: number[]; series: ChartSeries[]; markers: ChartMarker[] }

export function readingsSeries(r: OrderReadings): ReadingsChartData {
  const withTemp = r.readings.filter((x) => x.temperatureCentiC !== null)
  const x = withTemp.map((x) => x.time.unix)
  const flat = (centi: number) => x.map(() => centi / 100)
  const markers: ChartMarker[] = []
  if (r.pickupBy) markers.push({ at: r.pickupBy.unix, label: 'pickup by', color: '#8a5a00' })
  if (r.deadline) markers.push({ at: r.deadline.unix, label: 'deliver by', color: '#b3261e' })
  const hasRange = r.minTempCentiC !== 0 || r.maxTempCentiC !== 0
  return {
    x,
    series: [
      {
        label: 'temperature',
        unit: '°C',
        values: withTemp.map((x) => x.temperatureCentiC! / 100),
        color: '#2f6fdd',
      },
      ...(hasRange
        ? [
            { label: 'allowed max', unit: '°C', values: flat(r.maxTempCentiC), color: '#c0392b' },
            { label: 'allowed min', unit: '°C', values: flat(r.minTempCentiC), color: '#16a085' },
          ]
        : []),
    ],
    markers,
  }
}

/** Readings outside the allowed range (an excursion the judge fails the shipment for). */
export const excursions = (r: OrderReadings) =>
  r.readings.filter(
    (x) =>
      x.temperatureCentiC !== null &&
      (r.minTempCentiC !== 0 || r.maxTempCentiC !== 0) &&
      (x.temperatureCentiC < r.minTempCentiC || x.temperatureCentiC > r.maxTempCentiC),
  )
