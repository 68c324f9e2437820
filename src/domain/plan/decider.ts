// The promotion plan of one fiscal year (Art. 6), one stream per agency and year (`plan-2026`): items
// with owners and due dates inside the year, progress recorded by the keepers or the item's owner, reviews.
import { DomainError } from '../shared/errors.js'
import type { Decider } from '../shared/decider.js'
import { checkFiscalYearOpen, fiscalYearBounds, tokyoDate } from '../shared/fiscal-year.js'
import type { Role } from '../shared/roles.js'
import type { EmployeeFacts } from '../management/commands.js'
import type { AddPlanItem, EstablishPlan, PlanCommand, RecordPlanProgress, ReviewPlan } from './commands.js'
import type { PlanEvent, PlanItem } from './events.js'

export interface PlanState {
  fiscalYear?: number | undefined
  /** Owner of each item: the owner may record progress on it. */
  owners: ReadonlyMap<string, string>
}

/** Who keeps the plan: they may record progress on any item (an item's owner only on their own). */
export const planKeepers: readonly Role[] = ['CISO', 'GENERAL_SECURITY_OFFICER']

function evolve(state: PlanState, event: PlanEvent): PlanState {
  switch (event.type) {
    case 'PlanEstablished':
      return { fiscalYear: event.data.fiscalYear, owners: new Map(event.data.items.map((i) => [i.itemId, i.ownerId])) }
    case 'PlanItemAdded': return { ...state, owners: new Map(state.owners).set(event.data.itemId, event.data.ownerId) }
    case 'PlanProgressRecorded': return state
    case 'PlanReviewed': return state
  }
}

function requirePlan(state: PlanState, fiscalYear: number): number {
  if (state.fiscalYear === undefined) throw new DomainError('PlanNotFound', `there is no promotion plan for fiscal year ${fiscalYear}; establish it first`, { fiscalYear })
  return state.fiscalYear
}

/** Every rule an item must meet, with all offending owners named at once. */
function checkItems(items: readonly PlanItem[], fiscalYear: number, employees: EmployeeFacts, today: string): void {
  const { start, end } = fiscalYearBounds(fiscalYear)
  const outside = items.filter((i) => i.dueOn < start || i.dueOn > end)
  if (outside.length > 0) {
    throw new DomainError('DueDateOutsideFiscalYear', `due dates must fall within fiscal year ${fiscalYear} (${start} – ${end}): ${outside.map((i) => `${i.itemId} is due ${i.dueOn}`).join(', ')}`,
      { fiscalYear, start, end, itemIds: outside.map((i) => i.itemId) })
  }
  const owners = [...new Set(items.map((i) => i.ownerId))]
  const unknown = owners.filter((id) => employees[id] === undefined)
  if (unknown.length > 0) {
    throw new DomainError('UnknownEmployee', `owners must be employees of this agency; not registered here: ${unknown.join(', ')}`, { employeeIds: unknown })
  }
  const departed = owners.filter((id) => { const d = employees[id]?.departedOn; return d !== undefined && d < today })
  if (departed.length > 0) throw new DomainError('EmployeeDeparted', `owners have left the agency: ${departed.join(', ')}`, { employeeIds: departed })
}

function establish(command: EstablishPlan, state: PlanState): PlanEvent[] {
  const { fiscalYear, title, items, employees } = command.data
  const { actor, now } = command.metadata
  const notOpen = checkFiscalYearOpen(fiscalYear, now)
  if (notOpen !== undefined) throw new DomainError('FiscalYearNotOpen', notOpen, { fiscalYear })
  if (state.fiscalYear !== undefined) throw new DomainError('PlanAlreadyExists', `the promotion plan for fiscal year ${fiscalYear} exists; add items to it or record progress`, { fiscalYear })
  const ids = items.map((i) => i.itemId)
  const repeated = ids.filter((id, i) => ids.indexOf(id) !== i)
  if (repeated.length > 0) throw new DomainError('DuplicatePlanItem', `each item id once: ${[...new Set(repeated)].join(', ')} repeated`, { itemIds: [...new Set(repeated)] })
  checkItems(items, fiscalYear, employees, tokyoDate(now))
  return [{ type: 'PlanEstablished', data: { fiscalYear, title, items: items.map(toItem), establishedBy: actor.id, at: now } }]
}

function addItem(command: AddPlanItem, state: PlanState): PlanEvent[] {
  const { fiscalYear: asked, employees, ...item } = command.data
  const fiscalYear = requirePlan(state, asked)
  if (state.owners.has(item.itemId)) throw new DomainError('DuplicatePlanItem', `item ${item.itemId} is already in the plan; choose another id`, { itemIds: [item.itemId] })
  checkItems([item], fiscalYear, employees, tokyoDate(command.metadata.now))
  return [{ type: 'PlanItemAdded', data: { ...toItem(item), fiscalYear, addedBy: command.metadata.actor.id, at: command.metadata.now } }]
}

function recordProgress(command: RecordPlanProgress, state: PlanState): PlanEvent[] {
  const { fiscalYear: asked, itemId, status, percent, note } = command.data
  const { actor, now } = command.metadata
  const fiscalYear = requirePlan(state, asked)
  const owner = state.owners.get(itemId)
  if (owner === undefined) throw new DomainError('PlanItemNotFound', `the plan of fiscal year ${fiscalYear} has no item ${itemId}`, { fiscalYear, itemId })
  // The rules table lets anyone through to here: only the keepers and the item's own owner go on.
  if (owner !== actor.id && !actor.roles.some((r) => planKeepers.includes(r))) {
    throw new DomainError('NotPlanItemOwner', `only the item's owner (${owner}) or a holder of ${planKeepers.join(' or ')} records progress on ${itemId}`, { itemId, ownerId: owner })
  }
  return [{ type: 'PlanProgressRecorded', data: { fiscalYear, itemId, status, percent, note, recordedBy: actor.id, at: now } }]
}

function review(command: ReviewPlan, state: PlanState): PlanEvent[] {
  const fiscalYear = requirePlan(state, command.data.fiscalYear)
  const { outcome, notes } = command.data
  return [{ type: 'PlanReviewed', data: { fiscalYear, outcome, notes, reviewedBy: command.metadata.actor.id, at: command.metadata.now } }]
}

/** Only the item's own fields go into events (no lookups, no unset optional keys). */
const toItem = (i: PlanItem): PlanItem => ({ itemId: i.itemId, title: i.title, ownerId: i.ownerId, dueOn: i.dueOn, ...(i.article === undefined ? {} : { article: i.article }) })

export const planDecider: Decider<PlanCommand, PlanEvent, PlanState> = {
  streamType: 'plan',
  initialState: () => ({ owners: new Map() }),
  evolve,
  decide: (command, state) => {
    switch (command.type) {
      case 'EstablishPlan': return establish(command, state)
      case 'AddPlanItem': return addItem(command, state)
      case 'RecordPlanProgress': return recordProgress(command, state)
      case 'ReviewPlan': return review(command, state)
    }
  },
}

/** One plan stream per agency and fiscal year. */
export const planStreamId = (fiscalYear: number) => `plan-${fiscalYear}`
