// given/when/then over the duties decider: a pass records what became overdue and discharges what is no
// longer found, among the kinds (and subjects) it judged; a repeated pass records nothing.
import t from 'tap'
import {
  dutiesDecider, dutyKindCodes, MAX_MISSING, type DutyCandidate, type DutyEvent, type DutyKind, type ReconcileDuties,
} from '../../../src/domain/compliance/duties.js'
import type { CommandMetadata } from '../../../src/domain/shared/decider.js'
import { given } from '../../helpers/given.js'

const NOW = '2026-05-01T00:00:00.000Z'
const meta: CommandMetadata = { actor: { id: 'scheduler', roles: [] }, agencyId: 'mof', now: NOW, correlationId: 'c', source: 'scheduler' }
const pass = (overdue: DutyCandidate[], checked: DutyKind[] = dutyKindCodes, checkedSubjects: ReconcileDuties['data']['checkedSubjects'] = []): ReconcileDuties =>
  ({ type: 'ReconcileDuties', data: { checked, checkedSubjects, overdue }, metadata: meta })

const finding: DutyCandidate = { kind: 'AUDIT_FINDING_OVERDUE', subjectId: 'f-1', dueOn: '2026-04-30', detail: 'Audit finding on 3.1.1 was due to be closed by 2026-04-30.', missing: [] }
const training: DutyCandidate = { kind: 'TRAINING_NOT_DONE', subjectId: '2025', dueOn: '2026-03-31', detail: '3 employees did not complete the required training in FY2025.', missing: ['e3', 'e1', 'e2', 'e1'] }
const findingOverdue: DutyEvent = {
  type: 'DutyBecameOverdue',
  data: { dutyId: 'AUDIT_FINDING_OVERDUE:f-1', kind: 'AUDIT_FINDING_OVERDUE', article: 11, subjectId: 'f-1', dueOn: '2026-04-30', detail: finding.detail, missing: [], missingCount: 0, at: NOW },
}
const trainingOverdue: DutyEvent = {
  type: 'DutyBecameOverdue',
  data: { dutyId: 'TRAINING_NOT_DONE:2025', kind: 'TRAINING_NOT_DONE', article: 8, subjectId: '2025', dueOn: '2026-03-31', detail: training.detail, missing: ['e1', 'e2', 'e3'], missingCount: 3, at: NOW },
}
const duties = (...events: DutyEvent[]) => given(dutiesDecider, ...events)

t.test('a duty found for the first time becomes overdue, with its article and the missing items once each, sorted', async (t) => {
  t.same(duties().when(pass([finding, training])), [findingOverdue, trainingOverdue])
  t.same(duties(findingOverdue, trainingOverdue).state().open, {
    'AUDIT_FINDING_OVERDUE:f-1': { kind: 'AUDIT_FINDING_OVERDUE', subjectId: 'f-1' }, 'TRAINING_NOT_DONE:2025': { kind: 'TRAINING_NOT_DONE', subjectId: '2025' },
  })
})

t.test('a repeated pass with the same findings records nothing', async (t) => {
  t.same(duties(findingOverdue, trainingOverdue).when(pass([finding, training])), [])
  t.same(duties().when(pass([])), [], 'nothing found and nothing open: nothing to record')
})

t.test('an open duty no longer found is discharged; one of a kind the pass did not check stays', async (t) => {
  t.same(duties(findingOverdue, trainingOverdue).when(pass([training])), [{
    type: 'DutyDischarged', data: { dutyId: 'AUDIT_FINDING_OVERDUE:f-1', kind: 'AUDIT_FINDING_OVERDUE', article: 11, subjectId: 'f-1', reason: 'FULFILLED', at: NOW },
  }])
  t.same(duties(findingOverdue).when(pass([], ['RISK_REVIEW_OVERDUE'])), [], 'the finding kind was not checked')
  const discharged = duties(findingOverdue).when(pass([]))
  t.same(duties(findingOverdue, ...discharged).state().open, {})
  t.same(duties(findingOverdue, ...discharged).when(pass([{ ...finding, dueOn: '2026-06-30' }])), [{ ...findingOverdue, data: { ...findingOverdue.data, dueOn: '2026-06-30' } }],
    'overdue again later: a new event')
})

t.test('a kind judged for some subjects only: a later fiscal year supersedes an older one, other subjects stay', async (t) => {
  const nextYear = [{ kind: 'TRAINING_NOT_DONE' as const, subjectIds: ['2026'] }]
  t.match(duties(trainingOverdue).when(pass([], dutyKindCodes, nextYear)), [{ type: 'DutyDischarged', data: { dutyId: 'TRAINING_NOT_DONE:2025', reason: 'SUPERSEDED' } }],
    'FY2026 judged: the status follows it, FY2025 stays in the history')
  t.same(duties(trainingOverdue).when(pass([], dutyKindCodes, [{ kind: 'TRAINING_NOT_DONE', subjectIds: ['2024'] }])), [], 'an older year judged leaves a later one open')
  t.match(duties(trainingOverdue).when(pass([], dutyKindCodes, [{ kind: 'TRAINING_NOT_DONE', subjectIds: ['2025'] }])), [{ type: 'DutyDischarged', data: { dutyId: 'TRAINING_NOT_DONE:2025' } }])
  t.match(duties().when(pass([{ ...training, subjectId: '2026' }], dutyKindCodes, nextYear)), [{ type: 'DutyBecameOverdue', data: { dutyId: 'TRAINING_NOT_DONE:2026' } }])
})

t.test('a long list of missing items is cut, and says how long it was', async (t) => {
  const many = Array.from({ length: MAX_MISSING + 7 }, (_, i) => `e${String(i).padStart(3, '0')}`)
  const [event] = duties().when(pass([{ ...training, missing: many.toReversed() }]))
  t.equal(event?.type, 'DutyBecameOverdue')
  if (event?.type !== 'DutyBecameOverdue') return
  t.equal(event.data.missingCount, MAX_MISSING + 7)
  t.same(event.data.missing, many.slice(0, MAX_MISSING))
})

t.test('a pass that reports what it did not check, or one duty twice, is refused', async (t) => {
  t.throws(() => duties().when(pass([finding], ['RISK_REVIEW_OVERDUE'])), { code: 'DutyKindNotChecked', details: { kind: 'AUDIT_FINDING_OVERDUE' } })
  t.throws(() => duties().when(pass([training], dutyKindCodes, [{ kind: 'TRAINING_NOT_DONE', subjectIds: ['2026'] }])), { code: 'DutyKindNotChecked', details: { subjectId: '2025' } })
  t.throws(() => duties().when(pass([], ['RISK_REVIEW_OVERDUE'], [{ kind: 'TRAINING_NOT_DONE', subjectIds: ['2025'] }])), { code: 'DutyKindNotChecked' })
  t.throws(() => duties().when(pass([finding, { ...finding, detail: 'again' }])), { code: 'DuplicateDuty', details: { dutyId: 'AUDIT_FINDING_OVERDUE:f-1' } })
})
