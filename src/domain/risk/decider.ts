// One risk assessment per stream (Art. 3): assessed, reassessed when the picture changes, retired when
// the risk no longer applies. A reassessment records only what really changed.
import type { Decider } from '../shared/decider.js'
import { DomainError, NotFoundError } from '../shared/errors.js'
import { tokyoDate } from '../shared/fiscal-year.js'
import type { AssessRisk, ReassessRisk, RetireRisk, RiskCommand } from './commands.js'
import type { RiskChanges, RiskEvent } from './events.js'

export interface RiskState {
  assessed: boolean
  retired: boolean
  /** The assessment as it stands, to tell a real change from a repeat. */
  current: RiskChanges
}

function evolve(state: RiskState, event: RiskEvent): RiskState {
  switch (event.type) {
    case 'RiskAssessed': {
      const { riskId: _id, by: _by, at: _at, ...current } = event.data
      return { ...state, assessed: true, current }
    }
    case 'RiskReassessed': return { ...state, current: { ...state.current, ...event.data.changes } }
    case 'RiskRetired': return { ...state, retired: true }
  }
}

function checkReviewDate(reviewBy: string | undefined, now: string): void {
  const today = tokyoDate(now)
  if (reviewBy !== undefined && reviewBy < today) {
    throw new DomainError('ReviewDateInPast', `reviewBy ${reviewBy} is before today (${today}); give the date the assessment will next be reviewed`, { reviewBy, today })
  }
}

function assess(command: AssessRisk, state: RiskState): RiskEvent[] {
  if (state.assessed) throw new DomainError('RiskAlreadyExists', `risk ${command.data.riskId} is already assessed; reassess it instead`)
  checkReviewDate(command.data.reviewBy, command.metadata.now)
  return [{ type: 'RiskAssessed', data: { ...command.data, by: command.metadata.actor.id, at: command.metadata.now } }]
}

function requireActive(state: RiskState, riskId: string): void {
  if (!state.assessed) throw new NotFoundError('RiskNotFound', `no risk assessment ${riskId} in your agency`)
  if (state.retired) throw new DomainError('RiskAlreadyRetired', `risk ${riskId} is retired; assess a new risk instead`, { riskId })
}

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b)

function reassess(command: ReassessRisk, state: RiskState): RiskEvent[] {
  const { riskId, reason, ...proposed } = command.data
  requireActive(state, riskId)
  const changes: RiskChanges = Object.fromEntries(Object.entries(proposed).filter(([key, value]) => value !== undefined && !same(value, state.current[key])))
  if (Object.keys(changes).length === 0) throw new DomainError('NothingChanged', 'every value given equals the current assessment; change at least one (for example a new reviewBy)')
  checkReviewDate(changes.reviewBy, command.metadata.now)
  return [{ type: 'RiskReassessed', data: { riskId, changes, reason, by: command.metadata.actor.id, at: command.metadata.now } }]
}

function retire(command: RetireRisk, state: RiskState): RiskEvent[] {
  const { riskId, reason } = command.data
  requireActive(state, riskId)
  return [{ type: 'RiskRetired', data: { riskId, reason, by: command.metadata.actor.id, at: command.metadata.now } }]
}

export const riskDecider: Decider<RiskCommand, RiskEvent, RiskState> = {
  streamType: 'risk',
  initialState: () => ({ assessed: false, retired: false, current: {} }),
  evolve,
  decide: (command, state) => {
    switch (command.type) {
      case 'AssessRisk': return assess(command, state)
      case 'ReassessRisk': return reassess(command, state)
      case 'RetireRisk': return retire(command, state)
    }
  },
}

export const riskStreamId = (riskId: string) => `risk-${riskId}`
export const riskIdOf = (streamId: string) => streamId.slice('risk-'.length)
