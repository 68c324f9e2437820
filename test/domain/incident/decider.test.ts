// given/when/then over the pure incident decider: the Art. 9 lifecycle, its guards and its error codes.
import t from 'tap'
import { incidentDecider, type IncidentEvent, type IncidentStatus } from '../../../src/domain/incident/index.js'
import type { Actor } from '../../../src/domain/shared/decider.js'
import { DomainError, NotFoundError } from '../../../src/domain/shared/errors.js'
import { given } from '../../helpers/given.js'
import { command, csirt, NOW, reportData, triageData} from '../../helpers/incident-commands.js'

const head: Actor = { id: 'u-head', roles: ['CSIRT_HEAD'] }
const ciso: Actor = { id: 'u-ciso', roles: ['CISO'] }
const at = (minute: number) => `2026-11-27T1${Math.floor(minute / 60)}:${String(minute % 60).padStart(2, '0')}:00+09:00`

const incident = (...events: IncidentEvent[]) => given(incidentDecider, ...events)

// The lifecycle as facts, each with its own actor and time, so `by`/`at` provably come from metadata.
const reported: IncidentEvent = {
  type: 'IncidentReported',
  data: {
    incidentId: 'inc-1', title: 'Phishing mail opened', description: 'A user opened an attachment from a spoofed sender.',
    detectedAt: '2026-11-27T09:30:00+09:00', reportedAt: NOW, reportedBy: csirt.id, source: 'EMPLOYEE',
    initialSeverity: 'medium', affectedSystems: ['mail'], affectedInformation: [{ label: 'C3I2A2', assetId: 'asset-1' }],
  },
}
const triaged: IncidentEvent = {
  type: 'IncidentTriaged',
  data: { by: csirt.id, at: at(1), assessment: 'INCIDENT', severity: 'high', serious: false, rationale: 'malware confirmed' },
}
const escalated: IncidentEvent = { type: 'IncidentReportedToCiso', data: { by: head.id, at: at(2), summary: 'one PC infected' } }
const contained: IncidentEvent = { type: 'IncidentContained', data: { by: ciso.id, at: at(3), actions: ['isolate PC', 'block sender'] } }
const notified: IncidentEvent = {
  type: 'NationalCentreNotified',
  data: { by: ciso.id, at: at(4), destination: 'National Cybersecurity Office', summary: 'phishing, contained', reference: 'NCO-42' },
}
const recovered: IncidentEvent = { type: 'IncidentRecovered', data: { by: csirt.id, at: at(5), actions: ['reimage PC'] } }
const analyzed: IncidentEvent = {
  type: 'IncidentRootCauseRecorded',
  data: { by: csirt.id, at: at(6), cause: 'macro enabled by default', preventionMeasures: ['disable macros'] },
}
const lessonsShared: IncidentEvent = {
  type: 'IncidentLessonsShared', data: { by: head.id, at: at(7), lessons: 'check senders', sharedWith: ['all staff'] },
}
const closed: IncidentEvent = { type: 'IncidentClosed', data: { by: ciso.id, at: at(8), summary: 'done' } }
const dismissed: IncidentEvent = {
  type: 'IncidentTriaged',
  data: { by: csirt.id, at: at(1), assessment: 'NOT_INCIDENT', severity: undefined, serious: false, rationale: 'a test mail' },
}

/** One valid command of each type after reporting; CloseIncident does not require notification here. */
const samples = {
  TriageIncident: command('TriageIncident', triageData()),
  ReportIncidentToCiso: command('ReportIncidentToCiso', { summary: 's' }),
  RecordContainment: command('RecordContainment', { actions: ['a'] }),
  NotifyNationalCentre: command('NotifyNationalCentre', { summary: 's', destination: 'NCO' }),
  RecordRecovery: command('RecordRecovery', { actions: ['a'] }),
  RecordRootCause: command('RecordRootCause', { cause: 'c', preventionMeasures: ['p'] }),
  ShareLessons: command('ShareLessons', { lessons: 'l', sharedWith: ['x'] }),
  CloseIncident: command('CloseIncident', { requireNotification: false }),
  RecordIncidentAction: command('RecordIncidentAction', { description: 'd' }),
}
type LaterCommandType = keyof typeof samples
const laterCommands = Object.keys(samples) as LaterCommandType[]

type Reachable = Exclude<IncidentStatus, 'DISMISSED'>

/** The lifecycle without notification, and the history that reaches each status. */
const historyTo: Record<Reachable, IncidentEvent[]> = {
  REPORTED: [reported],
  TRIAGED: [reported, triaged],
  ESCALATED: [reported, triaged, escalated],
  CONTAINED: [reported, triaged, escalated, contained],
  RECOVERED: [reported, triaged, escalated, contained, recovered],
  ANALYZED: [reported, triaged, escalated, contained, recovered, analyzed],
  LESSONS_SHARED: [reported, triaged, escalated, contained, recovered, analyzed, lessonsShared],
  CLOSED: [reported, triaged, escalated, contained, recovered, analyzed, lessonsShared, closed],
}

const OPEN: Reachable[] = ['TRIAGED', 'ESCALATED', 'CONTAINED', 'RECOVERED', 'ANALYZED', 'LESSONS_SHARED']

/** The rule, written down independently of the decider: where each command may be issued. */
const allowedIn: Record<LaterCommandType, IncidentStatus[]> = {
  TriageIncident: ['REPORTED'],
  ReportIncidentToCiso: ['TRIAGED'],
  RecordContainment: ['ESCALATED'],
  NotifyNationalCentre: OPEN,
  RecordRecovery: ['CONTAINED'],
  RecordRootCause: ['RECOVERED'],
  ShareLessons: ['ANALYZED'],
  CloseIncident: ['LESSONS_SHARED'],
  RecordIncidentAction: ['REPORTED', ...OPEN],
}

t.test('the happy path records each step with by/at from the command metadata', async (t) => {
  const steps: { command: Parameters<typeof incidentDecider.decide>[0]; event: IncidentEvent; status: IncidentStatus }[] = [
    { command: command('ReportIncident', reportData()), event: reported, status: 'REPORTED' },
    { command: command('TriageIncident', triageData(), { now: at(1) }), event: triaged, status: 'TRIAGED' },
    { command: command('ReportIncidentToCiso', { summary: 'one PC infected' }, { actor: head, now: at(2) }), event: escalated, status: 'ESCALATED' },
    { command: command('RecordContainment', { actions: ['isolate PC', 'block sender'] }, { actor: ciso, now: at(3) }), event: contained, status: 'CONTAINED' },
    {
      command: command('NotifyNationalCentre', { summary: 'phishing, contained', reference: 'NCO-42', destination: 'National Cybersecurity Office' }, { actor: ciso, now: at(4) }),
      event: notified, status: 'CONTAINED',
    },
    { command: command('RecordRecovery', { actions: ['reimage PC'] }, { now: at(5) }), event: recovered, status: 'RECOVERED' },
    { command: command('RecordRootCause', { cause: 'macro enabled by default', preventionMeasures: ['disable macros'] }, { now: at(6) }), event: analyzed, status: 'ANALYZED' },
    { command: command('ShareLessons', { lessons: 'check senders', sharedWith: ['all staff'] }, { actor: head, now: at(7) }), event: lessonsShared, status: 'LESSONS_SHARED' },
    { command: command('CloseIncident', { summary: 'done', requireNotification: true }, { actor: ciso, now: at(8) }), event: closed, status: 'CLOSED' },
  ]
  const history: IncidentEvent[] = []
  for (const step of steps) {
    t.same(incident(...history).when(step.command), [step.event], `${step.command.type} decides ${step.event.type}`)
    history.push(step.event)
    t.equal(incident(...history).state().status, step.status, `after ${step.event.type} the incident is ${step.status}`)
  }
  t.same(incident(...history).state(), { status: 'CLOSED', assessment: 'INCIDENT', notified: true, seen: true })
})

t.test('triage as NOT_INCIDENT dismisses the incident', async (t) => {
  const events = incident(reported).when(command('TriageIncident', { assessment: 'NOT_INCIDENT', serious: false, rationale: 'a test mail' }, { now: at(1) }))
  t.same(events, [dismissed])
  t.equal(incident(reported, dismissed).state().status, 'DISMISSED')
})

t.test('a dismissed incident rejects every further command', async (t) => {
  for (const type of laterCommands) {
    const err = t.throws(() => incident(reported, dismissed).when(samples[type]), {
      name: 'DomainError', code: 'IncidentTransitionNotAllowed', details: { currentStatus: 'DISMISSED', command: type },
    }, `${type} is rejected`)
    t.type(err, DomainError)
  }
  t.throws(() => incident(reported, dismissed).when(command('ReportIncident', reportData())), { code: 'IncidentAlreadyExists' })
})

t.test('each command is allowed only in its statuses; elsewhere IncidentTransitionNotAllowed names the status', async (t) => {
  for (const [status, history] of Object.entries(historyTo) as [Reachable, IncidentEvent[]][]) {
    t.test(`while ${status}`, async (t) => {
      t.equal(incident(...history).state().status, status, 'the fixture reaches the status')
      for (const type of laterCommands) {
        if (allowedIn[type].includes(status)) {
          t.equal(incident(...history).when(samples[type]).length, 1, `${type} is allowed`)
        } else {
          t.throws(() => incident(...history).when(samples[type]), {
            name: 'DomainError', code: 'IncidentTransitionNotAllowed', details: { currentStatus: status, command: type },
          }, `${type} is rejected`)
        }
      }
    })
  }
})

t.test('a command on an incident that does not exist is IncidentNotFound', async (t) => {
  for (const type of laterCommands) {
    const err = t.throws(() => incident().when(samples[type]), { name: 'NotFoundError', code: 'IncidentNotFound' }, type)
    t.type(err, NotFoundError)
  }
})

t.test('reporting the same incident twice is IncidentAlreadyExists', async (t) => {
  t.throws(() => incident(reported).when(command('ReportIncident', reportData())), { name: 'DomainError', code: 'IncidentAlreadyExists' })
})

t.test('detectedAt later than now is DetectedInFuture, compared as instants', async (t) => {
  // NOW is 01:00:00Z; the same instant written in UTC is fine, one second later is not.
  t.throws(() => incident().when(command('ReportIncident', { ...reportData(), detectedAt: '2026-11-27T01:00:01Z' })), {
    name: 'DomainError', code: 'DetectedInFuture',
  })
  t.same(incident().when(command('ReportIncident', { ...reportData(), detectedAt: '2026-11-27T01:00:00Z' })).map((e) => e.type), ['IncidentReported'])
})

t.test('an incident triaged without severity is SeverityRequired', async (t) => {
  t.throws(() => incident(reported).when(command('TriageIncident', triageData({ severity: undefined }))), { code: 'SeverityRequired' })
})

t.test('the national centre is notified at most once', async (t) => {
  t.throws(() => incident(...historyTo.CONTAINED, notified).when(samples.NotifyNationalCentre), { name: 'DomainError', code: 'AlreadyNotified' })
  t.throws(() => incident(...historyTo.CONTAINED, notified, recovered, analyzed).when(samples.NotifyNationalCentre), { code: 'AlreadyNotified' })
})

t.test('closing without notification depends on the agency policy', async (t) => {
  const close = (requireNotification: boolean) => command('CloseIncident', { requireNotification }, { actor: ciso, now: at(8) })
  t.throws(() => incident(...historyTo.LESSONS_SHARED).when(close(true)), { name: 'DomainError', code: 'NotificationMissing' })
  t.same(incident(...historyTo.LESSONS_SHARED).when(close(false)), [{ type: 'IncidentClosed', data: { by: ciso.id, at: at(8), summary: undefined } }])
  t.same(incident(...historyTo.LESSONS_SHARED, notified).when(close(true)).map((e) => e.type), ['IncidentClosed'])
})

t.test('serious is forced false for NOT_INCIDENT and kept for INCIDENT', async (t) => {
  const [notIncident] = incident(reported).when(command('TriageIncident', { assessment: 'NOT_INCIDENT', serious: true, rationale: 'r' }))
  t.match(notIncident, { type: 'IncidentTriaged', data: { assessment: 'NOT_INCIDENT', serious: false } })
  const [serious] = incident(reported).when(command('TriageIncident', triageData({ serious: true })))
  t.match(serious, { type: 'IncidentTriaged', data: { assessment: 'INCIDENT', serious: true } })
})

t.test('RecordIncidentAction is allowed while open and rejected once closed', async (t) => {
  const action = command('RecordIncidentAction', { description: 'called the vendor' }, { actor: head, now: at(9) })
  for (const status of ['REPORTED', ...OPEN] as const) {
    t.same(incident(...historyTo[status]).when(action), [
      { type: 'IncidentActionRecorded', data: { by: head.id, at: at(9), description: 'called the vendor' } },
    ], `while ${status}`)
  }
  t.same(incident(...historyTo.ESCALATED, { type: 'IncidentActionRecorded', data: { by: head.id, at: at(9), description: 'x' } }).state().status,
    'ESCALATED', 'recording an action does not move the status')
  t.throws(() => incident(...historyTo.CLOSED).when(action), { code: 'IncidentTransitionNotAllowed', details: { currentStatus: 'CLOSED' } })
})
