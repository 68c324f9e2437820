// The Japanese fiscal year and Japan-time dates, at their edges.
import t from 'tap'
import { addMonths, checkFiscalYearOpen, fiscalYearBounds, fiscalYearOf, tokyoDate } from '../../../src/domain/shared/fiscal-year.js'

t.test('tokyoDate reads an instant in Japan time (UTC+9)', async (t) => {
  t.equal(tokyoDate('2026-03-31T14:59:59Z'), '2026-03-31')
  t.equal(tokyoDate('2026-03-31T15:00:00Z'), '2026-04-01', 'midnight in Tokyo is 15:00 UTC')
  t.equal(tokyoDate('2024-02-28T15:00:00Z'), '2024-02-29', 'leap day')
  t.equal(tokyoDate('1999-12-31T15:00:00Z'), '2000-01-01')
  t.equal(tokyoDate('2026-11-27T03:00:00+09:00'), '2026-11-27')
  t.equal(tokyoDate('2026-11-27T23:30:00-05:00'), '2026-11-28')
})

t.test('the fiscal year runs from 1 April to 31 March', async (t) => {
  t.equal(fiscalYearOf('2027-03-31'), 2026)
  t.equal(fiscalYearOf('2027-04-01'), 2027)
  t.equal(fiscalYearOf('2026-01-15'), 2025)
  t.same(fiscalYearBounds(2026), { start: '2026-04-01', end: '2027-03-31' })
})

t.test('addMonths keeps the day, clamped to the end of a shorter month', async (t) => {
  t.equal(addMonths('2026-01-31', 1), '2026-02-28')
  t.equal(addMonths('2024-01-31', 1), '2024-02-29')
  t.equal(addMonths('2026-11-15', 3), '2027-02-15')
  t.equal(addMonths('2026-03-31', -1), '2026-02-28')
  t.equal(addMonths('2026-04-01', 0), '2026-04-01')
})

t.test('plans may be made up to the next fiscal year, not later', async (t) => {
  t.equal(checkFiscalYearOpen(2027, '2026-11-27T00:00:00Z'), undefined)
  t.equal(checkFiscalYearOpen(2026, '2026-11-27T00:00:00Z'), undefined)
  t.match(checkFiscalYearOpen(2028, '2026-11-27T00:00:00Z'), /does not exist yet/)
  t.equal(checkFiscalYearOpen(2028, '2027-04-01T00:00:00+09:00'), undefined, 'FY2028 opens for planning once FY2027 starts')
})
