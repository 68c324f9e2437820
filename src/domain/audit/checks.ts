// Rules the self-check (Art. 10) and the audit (Art. 11) share: fiscal-year periods, standards items,
// due dates. Each throws the DomainError its caller documents.
import { isKnownStandardsItem } from '../shared/common-standards.js'
import { DomainError } from '../shared/errors.js'
import { checkFiscalYearOpen, fiscalYearBounds, tokyoDate } from '../shared/fiscal-year.js'

/** The fiscal year exists for planning, and the period lies inside it. */
export function checkFiscalYearPeriod(fiscalYear: number, from: string, to: string, now: string): void {
  const notOpen = checkFiscalYearOpen(fiscalYear, now)
  if (notOpen !== undefined) throw new DomainError('FiscalYearNotOpen', notOpen, { fiscalYear })
  if (to < from) throw new DomainError('InvalidPeriod', `the period ends (${to}) before it starts (${from})`)
  const { start, end } = fiscalYearBounds(fiscalYear)
  if (from < start || to > end) {
    throw new DomainError('PeriodOutsideFiscalYear', `the period ${from} – ${to} must lie within fiscal year ${fiscalYear} (${start} – ${end})`, { start, end })
  }
}

export function checkStandardsItem(item: { edition: string; code: string }): void {
  if (!isKnownStandardsItem(item.edition, item.code)) {
    throw new DomainError('UnknownStandardsItem', `${item.code} is not an item of the Common Standards edition ${item.edition}`, { ...item })
  }
}

/** A due date may be today but not already past (Japan date of the command). */
export function checkDueDate(dueOn: string, now: string): void {
  const today = tokyoDate(now)
  if (dueOn < today) throw new DomainError('DueDateInPast', `the due date ${dueOn} is before today (${today})`, { dueOn, today })
}

/** Each unit named must exist in the agency. */
export function checkUnitsExist(unitIds: readonly string[], units: Readonly<Record<string, boolean>>): void {
  const missing = unitIds.filter((u) => units[u] !== true)
  if (missing.length > 0) throw new DomainError('UnknownUnit', `unit ${missing.join(', ')} does not exist in this agency; create it first`, { unitIds: missing })
}
