// The Japanese fiscal year (1 April – 31 March), read in Japan time (UTC+9, no daylight saving).
import { z } from 'zod'

const JST_OFFSET_MS = 9 * 60 * 60 * 1000

const DAY_MS = 24 * 60 * 60 * 1000
const pad = (n: number, width = 2) => String(n).padStart(width, '0')

/** The civil date of a day count since 1970-01-01 (H. Hinnant's algorithm; no Date object, no clock). */
function civilFromDays(days: number): string {
  const z = days + 719468
  const era = Math.floor(z / 146097)
  const doe = z - era * 146097
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365)
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100))
  const mp = Math.floor((5 * doy + 2) / 153)
  const day = doy - Math.floor((153 * mp + 2) / 5) + 1
  const month = mp < 10 ? mp + 3 : mp - 9
  const year = yoe + era * 400 + (month <= 2 ? 1 : 0)
  return `${pad(year, 4)}-${pad(month)}-${pad(day)}`
}

/** The calendar date in Japan of an instant. */
export function tokyoDate(instant: string): string {
  return civilFromDays(Math.floor((Date.parse(instant) + JST_OFFSET_MS) / DAY_MS))
}

/** FY2026 runs from 2026-04-01 to 2027-03-31. */
export function fiscalYearOf(date: string): number {
  const year = Number(date.slice(0, 4))
  const month = Number(date.slice(5, 7))
  return month >= 4 ? year : year - 1
}

export function fiscalYearBounds(fiscalYear: number): { start: string; end: string } {
  return { start: `${fiscalYear}-04-01`, end: `${fiscalYear + 1}-03-31` }
}

/** The date `months` calendar months after `date`, clamped to the month's last day (2026-01-31 + 1 = 2026-02-28). */
export function addMonths(date: string, months: number): string {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number]
  const index = y * 12 + (m - 1) + months
  const year = Math.floor(index / 12)
  const month = index - year * 12 + 1
  const lastDay = (Date.UTC(year, month, 1) - Date.UTC(year, month - 1, 1)) / DAY_MS
  return `${pad(year, 4)}-${pad(month)}-${pad(Math.min(d, lastDay))}`
}

/** A fiscal year as a number (2026 = FY2026, from 2026-04-01). */
export const FiscalYear = z.number().int().min(2000).max(2200).describe('fiscal year, e.g. 2026 for 2026-04-01 – 2027-03-31')

/**
 * A fiscal year that exists for planning: not before 2000 and not later than the next one. Plans for
 * FY+1 are made in the spring before it starts; anything later does not exist yet.
 */
export function checkFiscalYearOpen(fiscalYear: number, now: string): string | undefined {
  const current = fiscalYearOf(tokyoDate(now))
  if (fiscalYear > current + 1) return `fiscal year ${fiscalYear} does not exist yet: the current one is ${current}, plans may be made up to ${current + 1}`
  return undefined
}
