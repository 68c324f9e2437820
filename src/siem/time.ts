// Turning the many ways senders write a time into one ISO instant. Times outside the years
// 1900–9999 (Alertmanager's "0001-01-01", a zero, a garbled year) are ignored, never an error:
// the alert is still real, only its time is unknown.
const MIN_MS = Date.UTC(1900, 0, 1)
const MAX_MS = Date.UTC(10000, 0, 1) - 1

/** Milliseconds since the epoch → ISO instant, or undefined when out of range or not finite. */
export function instantFromMs(ms: number): string | undefined {
  if (!Number.isFinite(ms) || ms < MIN_MS || ms > MAX_MS) return undefined
  return new Date(Math.trunc(ms)).toISOString()
}

export const monthNames = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'] as const

export interface CivilTime {
  year: number
  /** 1–12 */
  month: number
  day: number
  hour: number
  minute: number
  second: number
  /** Digits after the decimal point, as written (any precision; kept to milliseconds). */
  fraction?: string | undefined
  offsetMinutes: number
}

/** A calendar date and clock time with an offset → ISO instant; impossible dates give undefined. */
export function instantFromCivil(t: CivilTime): string | undefined {
  // Before 1900 is out of range anyway, and Date.UTC would read the years 0–99 as 1900–1999.
  if (t.year < 1900 || t.month < 1 || t.month > 12) return undefined
  const daysInMonth = new Date(Date.UTC(t.year, t.month, 0)).getUTCDate()
  if (t.day < 1 || t.day > daysInMonth || t.hour > 23 || t.minute > 59 || t.second > 60) return undefined
  const ms = Number((t.fraction ?? '').padEnd(3, '0').slice(0, 3))
  const local = Date.UTC(t.year, t.month - 1, t.day, t.hour, t.minute, Math.min(t.second, 59), ms)
  return instantFromMs(local - t.offsetMinutes * 60_000)
}

/** `Z`, `+09:00`, `+0900`, `-05` → minutes east of UTC; undefined when unreadable. */
export function offsetMinutes(zone: string): number | undefined {
  if (zone === 'Z' || zone === 'z') return 0
  const m = /^([+-])(\d{2}):?(\d{2})?$/.exec(zone)
  if (!m) return undefined
  const hours = Number(m[2])
  const minutes = Number(m[3] ?? '0')
  if (hours > 18 || minutes > 59) return undefined
  return (m[1] === '-' ? -1 : 1) * (hours * 60 + minutes)
}

const isoPattern = /^(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,12}))?)?\s?(Z|z|[+-]\d{2}(?::?\d{2})?)?$/

/**
 * RFC 3339 and its common relatives: `2024-06-12T10:15:42Z`, nanoseconds (Alertmanager), a
 * `+0000` offset without colon (Wazuh), a space instead of `T`. No offset means UTC.
 */
export function instantFromIso(value: string | null | undefined): string | undefined {
  if (value == null) return undefined
  const m = isoPattern.exec(value.trim())
  if (!m) return undefined
  const offset = m[8] === undefined ? 0 : offsetMinutes(m[8])
  if (offset === undefined) return undefined
  return instantFromCivil({
    year: Number(m[1]), month: Number(m[2]), day: Number(m[3]),
    hour: Number(m[4]), minute: Number(m[5]), second: Number(m[6] ?? '0'),
    fraction: m[7], offsetMinutes: offset,
  })
}
