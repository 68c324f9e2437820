// The incident lifecycle (Art. 9; shared/domain.md §7) as a pure decider.
import { DomainError, NotFoundError } from '../shared/errors.js'
import type { Decider } from '../shared/decider.js'
import type { CloseIncident, IncidentAlertCommand, IncidentCommand, NotifyNationalCentre, OpenIncidentFromAlert, ReportIncident, Severity, TriageIncident } from './commands.js'
import type { IncidentEvent } from './events.js'

export const incidentStatuses = [
  'REPORTED', 'TRIAGED', 'DISMISSED', 'ESCALATED', 'CONTAINED', 'RECOVERED', 'ANALYZED', 'LESSONS_SHARED', 'CLOSED',
] as const
export type IncidentStatus = (typeof incidentStatuses)[number]

/** Only what decide checks; what people want to see lives in the read models. */
export interface IncidentState {
  status: IncidentStatus | 'NONE'
  assessment?: 'INCIDENT' | 'NOT_INCIDENT' | undefined
  notified: boolean
  /**
   * The stream has events: the one fact the alert commands need, so they decide on the last event alone
   * (fold 'last'), however many alerts the incident already has. Once only is the alert stream's business.
   */
  seen: boolean
}

export const initialState = (): IncidentState => ({ status: 'NONE', notified: false, seen: false })

export function evolve(state: IncidentState, event: IncidentEvent): IncidentState {
  return { ...evolveStatus(state, event), seen: true }
}

function evolveStatus(state: IncidentState, event: IncidentEvent): IncidentState {
  switch (event.type) {
    case 'IncidentReported': return { ...state, status: 'REPORTED' }
    case 'IncidentTriaged':
      return { ...state, assessment: event.data.assessment, status: event.data.assessment === 'INCIDENT' ? 'TRIAGED' : 'DISMISSED' }
    case 'IncidentReportedToCiso': return { ...state, status: 'ESCALATED' }
    case 'IncidentContained': return { ...state, status: 'CONTAINED' }
    case 'NationalCentreNotified': return { ...state, notified: true }
    case 'IncidentRecovered': return { ...state, status: 'RECOVERED' }
    case 'IncidentRootCauseRecorded': return { ...state, status: 'ANALYZED' }
    case 'IncidentLessonsShared': return { ...state, status: 'LESSONS_SHARED' }
    case 'IncidentClosed': return { ...state, status: 'CLOSED' }
    case 'IncidentActionRecorded': return state
    case 'IncidentAlertLinked': case 'IncidentAlertResolved': case 'IncidentAlertReopened': return state
  }
}

const OPEN_AFTER_TRIAGE: readonly IncidentStatus[] = ['TRIAGED', 'ESCALATED', 'CONTAINED', 'RECOVERED', 'ANALYZED', 'LESSONS_SHARED']

export function decide(command: IncidentCommand | IncidentAlertCommand, state: IncidentState): IncidentEvent[] {
  const { actor, now } = command.metadata
  const by = { by: actor.id, at: now }
  if (command.type === 'ReportIncident') return report(command, state)
  if (command.type === 'OpenIncidentFromAlert') return openFromAlert(command, state)
  // An alert feeds the incident whatever its step (a late alert of a closed incident is still a fact).
  if (command.type === 'LinkAlert') {
    requireSeen(state)
    return [{ type: 'IncidentAlertLinked', data: { ...command.data.alert, opened: false, windowMinutes: command.data.windowMinutes, at: now } }]
  }
  if (command.type === 'ResolveLinkedAlert') {
    requireSeen(state)
    return [{ type: 'IncidentAlertResolved', data: { ...command.data, at: now } }]
  }
  if (command.type === 'ReopenLinkedAlert') {
    requireSeen(state)
    return [{ type: 'IncidentAlertReopened', data: { ...command.data, at: now } }]
  }
  const status = requireExisting(state)
  switch (command.type) {
    case 'TriageIncident': return triage(command, status, by)
    case 'ReportIncidentToCiso':
      requireStatus(command.type, status, ['TRIAGED'])
      return [{ type: 'IncidentReportedToCiso', data: { ...by, summary: command.data.summary } }]
    case 'RecordContainment':
      requireStatus(command.type, status, ['ESCALATED'])
      return [{ type: 'IncidentContained', data: { ...by, actions: command.data.actions } }]
    case 'NotifyNationalCentre': return notify(command, state, status, by)
    case 'RecordRecovery':
      requireStatus(command.type, status, ['CONTAINED'])
      return [{ type: 'IncidentRecovered', data: { ...by, actions: command.data.actions } }]
    case 'RecordRootCause':
      requireStatus(command.type, status, ['RECOVERED'])
      return [{ type: 'IncidentRootCauseRecorded', data: { ...by, cause: command.data.cause, preventionMeasures: command.data.preventionMeasures } }]
    case 'ShareLessons':
      requireStatus(command.type, status, ['ANALYZED'])
      return [{ type: 'IncidentLessonsShared', data: { ...by, lessons: command.data.lessons, sharedWith: command.data.sharedWith } }]
    case 'CloseIncident': return close(command, state, status, by)
    case 'RecordIncidentAction':
      requireStatus(command.type, status, ['REPORTED', ...OPEN_AFTER_TRIAGE])
      return [{ type: 'IncidentActionRecorded', data: { ...by, description: command.data.description } }]
  }
}

function report(command: ReportIncident, state: IncidentState): IncidentEvent[] {
  if (state.status !== 'NONE') throw new DomainError('IncidentAlreadyExists', `incident ${command.data.incidentId} already exists`)
  const { now, actor } = command.metadata
  if (Date.parse(command.data.detectedAt) > Date.parse(now)) {
    throw new DomainError('DetectedInFuture', `detectedAt ${command.data.detectedAt} is later than now (${now}); give the time the incident was noticed`)
  }
  const { incidentId, title, description, detectedAt, source, initialSeverity, affectedSystems, affectedInformation } = command.data
  return [{
    type: 'IncidentReported',
    data: { incidentId, title, description, detectedAt, reportedAt: now, reportedBy: actor.id, source, initialSeverity, affectedSystems, affectedInformation },
  }]
}

/** SIEM severities have `info`, incidents start at `low`. */
const incidentSeverity = (s: string | null): Severity | undefined =>
  s === 'critical' || s === 'high' || s === 'medium' || s === 'low' ? s : s === 'info' ? 'low' : undefined

/** An alert that meets its integration's threshold opens an incident, reported by the integration (source SIEM). */
function openFromAlert(command: OpenIncidentFromAlert, state: IncidentState): IncidentEvent[] {
  // A repeated reaction is answered by its Idempotency-Key before this (handleCommand), so this is another request.
  if (state.status !== 'NONE') throw new DomainError('IncidentAlreadyExists', `incident ${command.data.incidentId} already exists`)
  const { now, actor } = command.metadata
  const { incidentId, alert } = command.data
  // A sender's clock may run ahead: an incident is never detected after it was reported.
  const happened = alert.occurredAt ?? alert.receivedAt
  const detectedAt = Date.parse(happened) > Date.parse(now) ? now : happened
  const title = alert.title.length > 200 ? `${alert.title.slice(0, 199)}…` : alert.title
  return [
    {
      type: 'IncidentReported',
      data: {
        incidentId, title, detectedAt, reportedAt: now, reportedBy: actor.id, source: 'SIEM', initialSeverity: incidentSeverity(alert.severity),
        description: `Opened by ${alert.source} alert ${alert.externalId} received through integration ${alert.integrationId}${alert.rule ? ` (rule ${alert.rule})` : ''}.`,
        affectedSystems: alert.asset ? [alert.asset.slice(0, 200)] : [], affectedInformation: [],
      },
    },
    { type: 'IncidentAlertLinked', data: { ...alert, opened: true, at: now } },
  ]
}

function triage(command: TriageIncident, status: IncidentStatus, by: { by: string; at: string }): IncidentEvent[] {
  requireStatus(command.type, status, ['REPORTED'])
  const { assessment, severity, serious, rationale } = command.data
  if (assessment === 'INCIDENT' && severity === undefined) {
    throw new DomainError('SeverityRequired', 'an incident needs a severity (low, medium, high or critical) at triage')
  }
  return [{ type: 'IncidentTriaged', data: { ...by, assessment, severity, serious: assessment === 'INCIDENT' && serious, rationale } }]
}

function notify(command: NotifyNationalCentre, state: IncidentState, status: IncidentStatus, by: { by: string; at: string }): IncidentEvent[] {
  requireStatus(command.type, status, OPEN_AFTER_TRIAGE)
  if (state.notified) throw new DomainError('AlreadyNotified', 'the national centre has already been notified of this incident')
  const { summary, reference, destination } = command.data
  return [{ type: 'NationalCentreNotified', data: { ...by, destination, summary, reference } }]
}

function close(command: CloseIncident, state: IncidentState, status: IncidentStatus, by: { by: string; at: string }): IncidentEvent[] {
  requireStatus(command.type, status, ['LESSONS_SHARED'])
  if (command.data.requireNotification && !state.notified) {
    throw new DomainError('NotificationMissing', 'the national centre must be notified before the incident is closed (NotifyNationalCentre)')
  }
  return [{ type: 'IncidentClosed', data: { ...by, summary: command.data.summary } }]
}

function requireSeen(state: IncidentState): void {
  if (!state.seen) throw new NotFoundError('IncidentNotFound', 'no such incident in your agency')
}

function requireExisting(state: IncidentState): IncidentStatus {
  if (state.status === 'NONE') throw new NotFoundError('IncidentNotFound', 'no such incident in your agency')
  return state.status
}

/** The step that must come before each command, so the message can say what to do first. */
const NEXT_STEP: Record<IncidentStatus, string> = {
  REPORTED: 'TriageIncident', TRIAGED: 'ReportIncidentToCiso', DISMISSED: '(none: dismissed as not an incident)',
  ESCALATED: 'RecordContainment', CONTAINED: 'RecordRecovery', RECOVERED: 'RecordRootCause', ANALYZED: 'ShareLessons',
  LESSONS_SHARED: 'CloseIncident', CLOSED: '(none: closed)',
}

function requireStatus(command: (IncidentCommand | IncidentAlertCommand)['type'], status: IncidentStatus, allowed: readonly IncidentStatus[]): void {
  if (allowed.includes(status)) return
  throw new DomainError(
    'IncidentTransitionNotAllowed',
    `${command} is not allowed while the incident is ${status} (allowed in: ${allowed.join(', ')}); next step: ${NEXT_STEP[status]}`,
    { currentStatus: status, command, allowed },
  )
}

export const incidentDecider: Decider<IncidentCommand | IncidentAlertCommand, IncidentEvent, IncidentState> = {
  streamType: 'incident',
  initialState,
  evolve,
  decide,
}

export const incidentStreamId = (incidentId: string) => `incident-${incidentId}`
