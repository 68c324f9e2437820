// The compliance rules as data: evidence folded from events, then each article's status with its reasons.
import t from 'tap'
import { articlesAffectedBy, emptyEvidence, evolveEvidence, type Evidence, type EvidenceEvent } from '../../../src/domain/compliance/evidence.js'
import { articleOfRule, articlesOfItem, complianceRules, evaluateCompliance, MAX_REASONS, sameStatus, worstStatus } from '../../../src/domain/compliance/rules.js'
import type { JsonObject } from '../../../src/domain/shared/decider.js'

let position = 0
const ev = (type: string, data: JsonObject, streamId = 's'): EvidenceEvent => ({ type, data, position: ++position, recordedAt: '2026-05-01T00:00:00.000Z', streamId })
const fold = (...events: EvidenceEvent[]): Evidence => events.reduce(evolveEvidence, emptyEvidence())
const statusOf = (e: Evidence, article: number) => evaluateCompliance(e).get(article)

t.test('one rule per article 3–22, each with standards items and README text', async (t) => {
  t.same(complianceRules.map((r) => r.article), Array.from({ length: 20 }, (_, i) => i + 3))
  for (const r of complianceRules) {
    t.ok(r.standards.length > 0 && r.evidence.length > 0 && r.nonCompliant.length > 0, `article ${r.article} is documented`)
  }
})

t.test('a new agency: missing evidence is named per article, unknowns and not-applicables say why', async (t) => {
  const s = evaluateCompliance(fold(ev('AgencyRegistered', { agencyId: 'a', kind: 'NATIONAL_ADMINISTRATIVE_ORGAN' })))
  t.match(s.get(3), { status: 'NON_COMPLIANT', reasons: [{ code: 'NO_RISK_ASSESSMENT', missing: 'RiskAssessed' }] })
  t.match(s.get(4), { status: 'NON_COMPLIANT', reasons: [{ code: 'NO_BASIC_POLICY' }, { code: 'NO_STANDARDS' }] })
  t.match(s.get(7), { status: 'NOT_APPLICABLE', reasons: [{ code: 'NO_EXCEPTIONS' }] })
  t.match(s.get(9), { status: 'COMPLIANT', reasons: [] })
  t.match(s.get(12), { status: 'UNKNOWN', reasons: [{ code: 'NO_ASSETS' }] })
  t.match(s.get(16), { status: 'NOT_APPLICABLE' })
  for (const a of [17, 18, 19, 20, 21]) t.match(s.get(a), { status: 'UNKNOWN', reasons: [{ code: 'NO_SYSTEMS' }] }, `article ${a}`)
  t.match(s.get(22), { status: 'NON_COMPLIANT', reasons: [{ code: 'NO_USAGE_RULES' }] })
})

t.test('policy: adopted is compliant; a risk assessment makes the review due until it is reviewed', async (t) => {
  const adopted = [ev('BasicPolicyAdopted', { version: '1', at: '2026-04-01T00:00:00Z' }), ev('StandardsAdopted', { version: '1', edition: 'R3', items: [], at: '2026-04-02T00:00:00Z' })]
  t.match(statusOf(fold(...adopted), 4), { status: 'COMPLIANT' })
  const risk = ev('RiskAssessed', { riskId: 'r1', at: '2026-05-01T00:00:00Z' })
  t.match(statusOf(fold(...adopted, risk), 4), { status: 'NON_COMPLIANT', reasons: [{ code: 'POLICY_REVIEW_DUE', since: '2026-05-01T00:00:00Z', missing: 'PolicyReviewed' }] })
  t.match(statusOf(fold(...adopted, risk), 3), { status: 'COMPLIANT' })
  t.match(statusOf(fold(...adopted, risk, ev('PolicyReviewed', { reviewId: 'x' })), 4), { status: 'COMPLIANT' })
  t.match(statusOf(fold(...adopted, risk, ev('RiskRetired', { riskId: 'r1' })), 3), { status: 'NON_COMPLIANT', reasons: [{ code: 'NO_RISK_ASSESSMENT' }] })
})

t.test('duties: overdue until discharged, with subject, due date and what is missing', async (t) => {
  const overdue = ev('DutyBecameOverdue', {
    dutyId: 'TRAINING_NOT_DONE:2025', kind: 'TRAINING_NOT_DONE', article: 8, subjectId: '2025', dueOn: '2026-03-31',
    detail: '2 employees did not complete the required training in FY2025', missing: ['e1', 'e2'], missingCount: 2, at: '2026-04-01T00:05:00Z',
  })
  const planned = ev('TrainingPlanned', { fiscalYear: 2025 })
  t.match(statusOf(fold(planned), 8), { status: 'COMPLIANT' })
  t.match(statusOf(fold(planned, overdue), 8), { status: 'NON_COMPLIANT', reasons: [{ code: 'TRAINING_NOT_DONE', subjectId: '2025', dueOn: '2026-03-31', missing: '2 employees', since: '2026-04-01T00:05:00Z' }] })
  t.match(statusOf(fold(planned, overdue, ev('DutyDischarged', { dutyId: 'TRAINING_NOT_DONE:2025', kind: 'TRAINING_NOT_DONE', subjectId: '2025' })), 8), { status: 'COMPLIANT' })
})

t.test('exceptions: an approved one lifting a restriction makes art. 13 EXCEPTION_APPROVED; overdue makes art. 7 non-compliant', async (t) => {
  const asset = ev('InformationClassified', { assetId: 'doc' })
  const requested = ev('ExceptionRequested', { exceptionId: 'x1' })
  const approved = ev('ExceptionApproved', { exceptionId: 'x1', rules: ['NoTakeOut'], from: '2026-05-01', to: '2026-05-10', at: '2026-04-30T00:00:00Z' })
  const s = evaluateCompliance(fold(asset, requested, approved))
  t.match(s.get(13), { status: 'EXCEPTION_APPROVED', exceptions: [{ exceptionId: 'x1', rules: ['NoTakeOut'], from: '2026-05-01', to: '2026-05-10' }] })
  t.match(s.get(14), { status: 'COMPLIANT' }, 'a restriction rule does not touch the lifecycle article')
  t.match(s.get(7), { status: 'COMPLIANT' })
  const late = evaluateCompliance(fold(asset, requested, approved, ev('ExceptionBecameOverdue', { exceptionId: 'x1', dueAt: '2026-05-10T15:00:00Z' })))
  t.match(late.get(7), { status: 'NON_COMPLIANT', reasons: [{ code: 'EXCEPTION_OVERDUE', subjectId: 'x1', missing: 'ExceptionEndReported' }] })
  t.match(late.get(13), { status: 'COMPLIANT' }, 'an overdue exception is no longer in force')
  const ended = evaluateCompliance(fold(asset, requested, approved, ev('ExceptionBecameOverdue', { exceptionId: 'x1', dueAt: 'x' }), ev('ExceptionEndReported', { exceptionId: 'x1' })))
  t.match(ended.get(7), { status: 'COMPLIANT' })
  t.equal(articleOfRule('C3OutsideControlledArea'), 15)
  t.equal(articleOfRule('PublishNotC1'), 14)
})

t.test('systems: ledger gaps, continuity, crypto against CRYPTREC, internet measures', async (t) => {
  const reg = ev('SystemRegistered', {
    systemId: 'S1', name: 'e-Filing', purpose: 'p', ownerUnitId: 'it', informationClasses: ['C3I2A2'], contractorIds: [], internetFacing: true,
    criticality: 'HIGH', documents: [], stage: 'PLANNING', by: 'x', at: '2026-04-01T00:00:00Z',
  })
  let s = evaluateCompliance(fold(reg))
  t.match(s.get(17), { status: 'NON_COMPLIANT', reasons: [{ code: 'LEDGER_INCOMPLETE', subjectId: 'S1', missing: 'securityOfficerId, hosting, documents.DESIGN, documents.OPERATION_MANUAL' }] })
  t.match(s.get(19), { status: 'NON_COMPLIANT', reasons: [{ code: 'NO_CONTINUITY_PLAN', subjectId: 'S1' }] })
  t.match(s.get(20), { status: 'NON_COMPLIANT', reasons: [{ code: 'NO_CRYPTO_POLICY' }] })
  t.match(s.get(21), { status: 'NON_COMPLIANT', reasons: [{ code: 'NO_INTERNET_MEASURES' }] })
  s = evaluateCompliance(fold(reg,
    ev('ContinuityPlanRecorded', { systemId: 'S1', version: '1', measures: ['backup'], by: 'x', at: 'y' }),
    ev('CryptoPolicySet', { systemId: 'S1', edition: 'CRYPTREC-2022', algorithms: [{ use: 'ENCRYPTION', algorithm: 'AES', keyLength: 256 }, { use: 'HASH', algorithm: 'MD5' }] }),
  ))
  t.match(s.get(19), { status: 'COMPLIANT' })
  t.match(s.get(20), { status: 'NON_COMPLIANT', reasons: [{ code: 'CRYPTO_SHORTFALL', missing: 'MD5' }] })
  const retired = evaluateCompliance(fold(reg, ev('SystemStageChanged', { systemId: 'S1', from: 'DISPOSAL', to: 'RETIRED' })))
  t.match(retired.get(17), { status: 'UNKNOWN' }, 'a retired system is not judged')
})

t.test('worst status, standards mapping, and what counts as a change', async (t) => {
  t.equal(worstStatus(['COMPLIANT', 'EXCEPTION_APPROVED', 'NOT_APPLICABLE']), 'EXCEPTION_APPROVED')
  t.equal(worstStatus(['COMPLIANT', 'UNKNOWN', 'NON_COMPLIANT']), 'NON_COMPLIANT')
  t.equal(worstStatus([]), 'NOT_APPLICABLE')
  t.same(articlesOfItem(['2.1.1(3)']), [5])
  t.same(articlesOfItem(['2.2.3', '6.5']), [8, 20])
  t.same(articlesOfItem(['5']), [17, 18, 19], 'a chapter covers its items')
  t.same(articlesOfItem(['9.9']), [])
  const a = { status: 'NON_COMPLIANT' as const, reasons: [{ code: 'X', message: 'm1' }], exceptions: [] }
  t.ok(sameStatus(a, { ...a, reasons: [{ code: 'X', message: 'm1' }] }))
  t.notOk(sameStatus(a, { ...a, reasons: [{ code: 'X', message: 'other words' }] }), 'what a reader sees counts: the words too')
  t.notOk(sameStatus(a, { ...a, reasons: [{ code: 'X', message: 'm1', subjectId: 's' }] }))
})

t.test('the projection evaluates only the articles an event can change: the table agrees with evaluating them all', async (t) => {
  const events = [
    ev('AgencyRegistered', {}), ev('AreaDefined', { areaId: 'a1', name: 'Server room', measures: [] }), ev('AreaMeasuresRecorded', { areaId: 'a1', measures: ['locks'] }),
    ev('RiskAssessed', { riskId: 'r1', at: 'x' }), ev('BasicPolicyAdopted', { version: '1' }), ev('StandardsAdopted', { version: '1', edition: 'R3', items: [] }),
    ev('CommitteeOrganized', { committeeId: 'c' }), ev('PlanEstablished', { fiscalYear: 2026 }), ev('RiskReassessed', { riskId: 'r1' }), ev('PlanReviewed', { fiscalYear: 2026 }),
    ev('IncidentTriaged', { assessment: 'INCIDENT' }), ev('PolicyReviewed', {}), ev('RiskRetired', { riskId: 'r1' }),
    ev('InformationClassified', { assetId: 'd' }), ev('ExceptionRequested', { exceptionId: 'x' }), ev('ExceptionApproved', { exceptionId: 'x', rules: ['NoTakeOut', 'C3OutsideControlledArea', 'PublishNotC1'], from: 'a', to: 'b' }),
    ev('ExceptionBecameOverdue', { exceptionId: 'x', dueAt: 'b' }), ev('ExceptionClosed', { exceptionId: 'x' }),
    ev('TrainingPlanned', {}), ev('SelfCheckPlanned', {}), ev('AuditPlanApproved', {}), ev('ContractRecorded', {}), ev('UsageRulesPublished', {}),
    ev('SystemRegistered', { systemId: 'S1', name: 'n', purpose: 'p', ownerUnitId: 'u', informationClasses: [], contractorIds: [], internetFacing: true, criticality: 'CRITICAL', documents: [], stage: 'PLANNING', by: 'x', at: 'y' }),
    ev('CryptoPolicySet', { systemId: 'S1', edition: 'CRYPTREC-2022', algorithms: [{ use: 'HASH', algorithm: 'SHA-1' }] }),
    ev('InternetServiceMeasuresRecorded', { systemId: 'S1', serviceName: 'web', domain: 'example.go.jp', measures: { tls: { enabled: false }, domainAuthenticity: { dnssec: false }, noInsecureContent: { noPlugins: true, noUnsignedDownloads: true } } }),
    ev('ContinuityPlanRecorded', { systemId: 'S1', version: '1', measures: [] }), ev('ContinuityExerciseHeld', { systemId: 'S1', heldOn: 'x', scenario: 's', securityMeasuresHeld: false, findings: ['f'] }),
    ev('SystemLedgerUpdated', { systemId: 'S1', changed: ['criticality'], values: { criticality: 'LOW' }, previous: {} }),
    ev('DutyBecameOverdue', { dutyId: 'SYSTEM_REVIEW_OVERDUE:S1', kind: 'SYSTEM_REVIEW_OVERDUE', article: 18, subjectId: 'S1', dueOn: 'd', detail: 'x', missing: [], missingCount: 0 }),
    ev('DutyDischarged', { dutyId: 'SYSTEM_REVIEW_OVERDUE:S1', kind: 'SYSTEM_REVIEW_OVERDUE', article: 18, subjectId: 'S1' }),
    ev('SystemStageChanged', { systemId: 'S1', from: 'DISPOSAL', to: 'RETIRED' }),
  ]
  let evidence = emptyEvidence()
  let kept = evaluateCompliance(evidence)
  let changes = 0
  for (const e of events) {
    evidence = evolveEvidence(evidence, e)
    const all = evaluateCompliance(evidence)
    for (const [article, status] of evaluateCompliance(evidence, articlesAffectedBy(e))) kept.set(article, status)
    for (const [article, status] of all) {
      if (!sameStatus(kept.get(article) ?? status, status)) t.fail(`${e.type} changed article ${article}, which its row in the table does not name`)
    }
    changes += [...all].filter(([a, s]) => !sameStatus(s, evaluateCompliance(emptyEvidence()).get(a) ?? s)).length
    kept = all
  }
  t.ok(changes > 20, 'the sequence does change statuses')
  t.equal(articlesAffectedBy({ type: 'AgencyRegistered', data: {} }), undefined, 'an unknown effect evaluates everything')
})

t.test('an article lists at most MAX_REASONS reasons, then says how many more', async (t) => {
  const systems = Array.from({ length: MAX_REASONS + 10 }, (_, i) => ev('SystemRegistered', {
    systemId: `S${String(i).padStart(3, '0')}`, name: `n${i}`, purpose: 'p', ownerUnitId: 'u', informationClasses: [], contractorIds: [], internetFacing: false,
    criticality: 'LOW', documents: [], stage: 'PLANNING', by: 'x', at: 'y',
  }))
  const ledger = statusOf(fold(...systems), 17)
  t.equal(ledger?.reasons.length, MAX_REASONS + 1)
  t.match(ledger?.reasons.at(0), { code: 'LEDGER_INCOMPLETE', subjectId: 'S000' })
  t.match(ledger?.reasons.at(-1), { code: 'MORE_REASONS', missing: '10', message: 'and 10 more reasons like these' })
})
