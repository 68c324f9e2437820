// Value schemas every aggregate shares: storable text, instants, calendar dates, ids.
import { z } from 'zod'

/** Text that PostgreSQL can store: well-formed Unicode (no lone surrogates) and no NUL character. */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/
export const text = (max: number) => z.string().trim().min(1).max(max)
  .refine((v) => !LONE_SURROGATE.test(v) && !v.includes('\u0000'), 'must be well-formed text without NUL characters')

/** An ISO-8601 instant with offset, within years 1900–9999, so every store and read model can hold it. */
export const instant = z.iso.datetime({ offset: true })
  .refine((v) => {
    const year = Number(v.slice(0, 4)) // ISO-8601 starts with the year (a malformed value is reported above)
    return Number.isNaN(year) || (year >= 1900 && year <= 9999)
  }, 'must be between the years 1900 and 9999')
  .describe('ISO-8601 date-time with offset, e.g. 2026-11-27T09:30:00+09:00')

/** A calendar date (YYYY-MM-DD), read in Japan time where it is compared with an instant. */
export const calendarDate = z.iso.date()
  .refine((v) => Number(v.slice(0, 4)) >= 1900, 'must be in the year 1900 or later')
  .describe('calendar date, e.g. 2026-04-01')

/** Ids chosen by the agency (unit codes, employee numbers...): short, printable, no spaces. */
export const localId = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._:-]{0,99}$/, 'letters, digits and . _ : - (up to 100 characters, starting with a letter or digit)')
