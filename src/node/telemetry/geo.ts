/** Great-circle distance for geofences. Coordinates are integers of 10^-7 degree, as readings carry them. */
const EARTH_RADIUS_M = 6_371_008.8
const RAD = Math.PI / 180

export function distanceM(aLatE7: number, aLonE7: number, bLatE7: number, bLonE7: number): number {
  const lat1 = (aLatE7 / 1e7) * RAD
  const lat2 = (bLatE7 / 1e7) * RAD
  const dLat = lat2 - lat1
  const dLon = ((bLonE7 - aLonE7) / 1e7) * RAD
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(lat1) * Math.cos(lat2) * Math.sin(dLon / 2) ** 2
  return 2 * EARTH_RADIUS_M * Math.asin(Math.min(1, Math.sqrt(h)))
}

export type Geofence = { lat: number; lon: number; radiusM: number }

export function inside(fence: Geofence, latE7: number | undefined, lonE7: number | undefined): boolean {
  if (latE7 === undefined || lonE7 === undefined) return false
  return distanceM(Math.round(fence.lat * 1e7), Math.round(fence.lon * 1e7), latE7, lonE7) <= fence.radiusM
}
