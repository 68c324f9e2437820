// REST end to end for audits (Art. 11): separation of duties at planning, approval by the CISO but not
// the author, findings only after approval, open findings overdue by the test clock, improvement plans
// by the unit's security officer, and the audit closing with its last finding. Plus the assurance status.
import t from 'tap'
import { startTestApp } from '../helpers/app.js'

let now = new Date('2026-06-15T10:00:00+09:00')
const h = await startTestApp(t, { clock: { now: () => now } })
await h.agency('mof')
await h.agency('ipa', 'INCORPORATED_ADMINISTRATIVE_AGENCY', 'mof')
await h.agency('mic')
for (const [id, unit] of [['sato', 'u1'], ['oda', 'u1'], ['ueda', 'u1'], ['ota', 'u2'], ['aoki', 'audit']] as const) await h.employee('mof', id, unit)
await h.admin('mof', 'assignRole', { employeeId: 'oda', role: 'SECURITY_OFFICER', scope: { kind: 'UNIT', unitId: 'u1' }, from: '2020-04-01' })
await h.admin('mof', 'assignRole', { employeeId: 'ota', role: 'SECURITY_OFFICER', scope: { kind: 'UNIT', unitId: 'u2' }, from: '2020-04-01' })
const officer = await h.token('mof', ['AUDIT_OFFICER'], 'kimura')
const ciso = await h.token('mof', ['CISO', 'AUDIT_OFFICER'], 'boss')
const aoki = await h.token('mof', ['AUDITOR'], 'aoki')
const ueda = await h.token('mof', ['AUDITOR'], 'ueda')
const oda = await h.token('mof', [], 'oda')
const ota = await h.token('mof', [], 'ota')
const mic = await h.token('mic', ['CISO', 'AUDIT_OFFICER'], 'kato')
const ipa = await h.token('ipa', ['CISO'], 'ito')

const auth = (token: string) => ({ authorization: `Bearer ${token}` })
async function post(token: string, url: string, payload: object, headers: Record<string, string> = {}) {
  const res = await h.app.inject({ method: 'POST', url, headers: { ...auth(token), ...headers }, payload })
  return { status: res.statusCode, body: res.json() }
}
async function get(token: string, url: string) {
  const res = await h.app.inject({ method: 'GET', url, headers: auth(token) })
  return { status: res.statusCode, body: res.json() }
}

const plan = { fiscalYear: 2026, title: 'Audit of u1 and u2', scopeUnitIds: ['u1', 'u2'], auditorIds: ['aoki'], fieldworkFrom: '2026-07-01', fieldworkTo: '2026-07-31' }
const finding = (unitId: string, severity: string, dueOn: string, code = '6.4') => ({ unitId, standardsItem: { edition: 'R5', code }, severity, description: `gap in ${unitId}`, dueOn })
let auditId = ''
const findings: Record<string, string> = {}

t.test('planning: an auditor from an audited unit is refused; auditors must hold the role', async (t) => {
  const own = await post(officer, '/api/audits', { ...plan, auditorIds: ['aoki', 'ueda'] })
  t.equal(own.status, 422)
  t.match(own.body, { code: 'AuditorOwnUnit', employeeId: 'ueda', unitId: 'u1' })
  const noRole = await post(officer, '/api/audits', { ...plan, scopeUnitIds: ['u2'], auditorIds: ['sato'] })
  t.match(noRole, { status: 422, body: { code: 'NotAnAuditor' } })
  const byAuditor = await post(aoki, '/api/audits', plan)
  t.equal(byAuditor.status, 403, 'only the audit officer plans')
  const planned = await post(officer, '/api/audits', plan)
  t.equal(planned.status, 201)
  auditId = planned.body.id
  t.match(auditId, /^[0-9a-f-]{36}$/)
})

t.test("a finding before approval is refused; the plan's author cannot approve it", async (t) => {
  const early = await post(aoki, `/api/audits/${auditId}/findings`, finding('u1', 'HIGH', '2026-09-30'))
  t.match(early, { status: 409, body: { code: 'AuditNotApproved' } })
  const byCisoAuthor = await post(ciso, '/api/audits', { ...plan, title: 'planned by the CISO' })
  t.equal(byCisoAuthor.status, 201)
  const selfApproved = await post(ciso, `/api/audits/${byCisoAuthor.body.id}/approval`, {})
  t.match(selfApproved, { status: 403, body: { code: 'SelfApproval', plannedBy: 'boss' } })
  const notCiso = await post(officer, `/api/audits/${auditId}/approval`, {})
  t.match(notCiso, { status: 403, body: { code: 'Forbidden' } })
  const approved = await post(ciso, `/api/audits/${auditId}/approval`, { note: 'go ahead' })
  t.equal(approved.status, 200)
  const unknown = await post(ciso, '/api/audits/00000000-0000-4000-8000-000000000000/approval', {})
  t.match(unknown, { status: 404, body: { code: 'AuditNotFound' } })
})

t.test("findings come from the audit's auditors, with a known standards item", async (t) => {
  const outsider = await post(ueda, `/api/audits/${auditId}/findings`, finding('u2', 'LOW', '2026-12-31'))
  t.match(outsider, { status: 403, body: { code: 'NotAuditorOfAudit' } })
  const badItem = await post(aoki, `/api/audits/${auditId}/findings`, finding('u1', 'HIGH', '2026-09-30', '9.9'))
  t.match(badItem, { status: 422, body: { code: 'UnknownStandardsItem' } })
  const outOfScope = await post(aoki, `/api/audits/${auditId}/findings`, finding('audit', 'HIGH', '2026-09-30'))
  t.match(outOfScope, { status: 422, body: { code: 'UnitNotInScope' } })
  for (const [key, unit, severity, due] of [['f1', 'u1', 'HIGH', '2026-09-30'], ['f2', 'u2', 'LOW', '2026-12-31']] as const) {
    const res = await post(aoki, `/api/audits/${auditId}/findings`, finding(unit, severity, due), { 'idempotency-key': `finding-${key}` })
    t.equal(res.status, 201)
    findings[key] = res.body.id
  }
  const replay = await post(aoki, `/api/audits/${auditId}/findings`, finding('u1', 'HIGH', '2026-09-30'), { 'idempotency-key': 'finding-f1' })
  t.match(replay.body, { id: findings.f1, replayed: true }, 'a retry answers the same finding id')
})

t.test('open findings across audits, filtered, and overdue by the test clock', async (t) => {
  await h.settle('mof')
  const open = await get(officer, '/api/findings')
  t.equal(open.status, 200)
  t.same(open.body.items.map((f: { id: string }) => f.id), [findings.f1, findings.f2], 'earliest due date first')
  t.match(open.body.items[0], { auditId, fiscalYear: 2026, unitId: 'u1', severity: 'HIGH', standardsItem: { edition: 'R5', code: '6.4' }, status: 'OPEN', overdue: false, recordedBy: 'aoki' })
  t.same((await get(officer, '/api/findings?severity=LOW')).body.items.map((f: { id: string }) => f.id), [findings.f2])
  t.same((await get(officer, '/api/findings?unitId=u1&fiscalYear=2026')).body.items.map((f: { id: string }) => f.id), [findings.f1])
  t.same((await get(officer, '/api/findings?fiscalYear=2025')).body.items, [])
  const paged = await get(officer, '/api/findings?first=1')
  t.match(paged.body.pageInfo, { hasNextPage: true })
  const next = await get(officer, `/api/findings?first=1&after=${paged.body.pageInfo.endCursor}`)
  t.same(next.body.items.map((f: { id: string }) => f.id), [findings.f2])
  t.equal(next.body.pageInfo.hasNextPage, false)

  now = new Date('2026-10-01T09:00:00+09:00')
  const overdue = await get(officer, '/api/findings?overdue=true')
  t.same(overdue.body.items.map((f: { id: string; overdue: boolean }) => [f.id, f.overdue]), [[findings.f1, true]])
  const notOverdue = await get(officer, '/api/findings?overdue=false')
  t.same(notOverdue.body.items.map((f: { id: string }) => f.id), [findings.f2])
  const audit = await get(officer, `/api/audits/${auditId}`)
  t.match(audit.body, { findingCount: 2, openFindingCount: 2, overdueFindingCount: 1 })
})

t.test('report, improvement plans, follow-ups; the audit closes when its last finding closes', async (t) => {
  const reported = await post(officer, `/api/audits/${auditId}/report`, { summary: 'Two findings: log review (HIGH), backup test (LOW).' })
  t.equal(reported.status, 200)
  const lateFinding = await post(aoki, `/api/audits/${auditId}/findings`, finding('u1', 'LOW', '2026-12-31'))
  t.match(lateFinding, { status: 409, body: { code: 'AuditAlreadyReported' } })

  const improvement = { actions: ['weekly log review', 'alerting on failures'], ownerId: 'sato', dueOn: '2026-11-30' }
  const wrongOfficer = await post(oda, `/api/audits/${auditId}/findings/${findings.f2}/improvement-plan`, improvement)
  t.match(wrongOfficer, { status: 403, body: { code: 'Forbidden', target: { unitIds: ['u2'] } } }, "u1's officer does not cover u2")
  t.equal((await post(oda, `/api/audits/${auditId}/findings/${findings.f1}/improvement-plan`, improvement)).status, 200)
  t.equal((await post(ota, `/api/audits/${auditId}/findings/${findings.f2}/improvement-plan`, { ...improvement, ownerId: 'ota' })).status, 200)

  const tooEarly = await post(officer, `/api/audits/${auditId}/findings/${findings.f1}/close`, {})
  t.match(tooEarly, { status: 409, body: { code: 'FindingNotImplemented' } })
  t.equal((await post(aoki, `/api/audits/${auditId}/findings/${findings.f1}/follow-ups`, { note: 'in progress', status: 'IN_PROGRESS' })).status, 201)
  for (const id of [findings.f1, findings.f2]) {
    t.equal((await post(officer, `/api/audits/${auditId}/findings/${id}/follow-ups`, { note: 'verified', status: 'IMPLEMENTED' })).status, 201)
  }
  const first = await post(officer, `/api/audits/${auditId}/findings/${findings.f1}/close`, { note: 'verified on site' })
  t.equal(first.status, 200)
  const mid = await get(officer, `/api/audits/${auditId}?minPosition=${first.body.position}`)
  t.match(mid.body, { status: 'REPORTED', openFindingCount: 1 }, 'still open: one finding left')
  const last = await post(officer, `/api/audits/${auditId}/findings/${findings.f2}/close`, {})
  t.equal(last.status, 200)

  const closed = await get(ipa, `/api/audits/${auditId}`)
  t.equal(closed.status, 404, 'a body under the organ does not see the organ')
  const audit = await get(officer, `/api/audits/${auditId}?minPosition=${last.body.position}`)
  t.match(audit.body, {
    id: auditId, agencyId: 'mof', status: 'CLOSED', plannedBy: 'kimura', approval: { by: 'boss', note: 'go ahead' },
    report: { reportedTo: 'boss', by: 'kimura', findingCount: 2, openFindingCount: 2 }, findingCount: 2, openFindingCount: 0, overdueFindingCount: 0,
  })
  t.ok(audit.body.closedAt)
  t.match(audit.body.findings[0], {
    id: findings.f1, status: 'CLOSED', closedBy: 'kimura', closeNote: 'verified on site',
    improvementPlan: { actions: ['weekly log review', 'alerting on failures'], ownerId: 'sato', dueOn: '2026-11-30', by: 'oda' },
  })
  t.same(audit.body.findings[0].followUps.map((f: { status: string; by: string }) => [f.status, f.by]), [['IN_PROGRESS', 'aoki'], ['IMPLEMENTED', 'kimura']])
  const stream = await h.store.readStream('mof', `audit-${auditId}`)
  t.same(stream.events.slice(-2).map((e) => e.type), ['AuditFindingClosed', 'AuditClosed'])
  t.same((await get(officer, '/api/findings')).body.items, [], 'no open findings remain')
})

t.test('audits list with filters, and the assurance status for the organ and the body under it', async (t) => {
  const all = await get(officer, '/api/audits?fiscalYear=2026')
  t.equal(all.body.items.length, 2)
  const closed = await get(officer, '/api/audits?status=CLOSED')
  t.same(closed.body.items.map((a: { id: string }) => a.id), [auditId])
  const planned = await get(officer, '/api/audits?status=PLANNED,APPROVED')
  t.same(planned.body.items.map((a: { title: string }) => a.title), ['planned by the CISO'])
  t.equal((await get(officer, '/api/audits?status=NOPE')).status, 400)

  await h.admin('ipa', 'planSelfCheck', { from: '2026-10-01', to: '2026-10-31', items: [{ itemId: 'q1', question: 'q?' }] }, { fiscalYear: '2026' })
  await h.settle('ipa')
  const status = await get(ciso, '/api/assurance/status')
  t.equal(status.status, 200)
  t.match(status.body, { fiscalYear: 2026, asOf: '2026-10-01' })
  t.same(status.body.agencies.map((a: { agencyId: string }) => a.agencyId), ['mof', 'ipa'], 'the organ and each body under it')
  t.match(status.body.agencies[0], {
    agencyId: 'mof', name: 'Agency mof', selfCheckStatus: 'NOT_PLANNED', audits: 2, approvedAudits: 1, reportedAudits: 1, closedAudits: 1, openFindings: 0, overdueFindings: 0,
  })
  t.match(status.body.agencies[1], { agencyId: 'ipa', selfCheckStatus: 'PLANNED', audits: 0 })
  const body = await get(ipa, '/api/assurance/status?fiscalYear=2026')
  t.same(body.body.agencies.map((a: { agencyId: string }) => a.agencyId), ['ipa'])
  const other = await get(mic, '/api/assurance/status')
  t.same(other.body.agencies.map((a: { agencyId: string; audits: number }) => [a.agencyId, a.audits]), [['mic', 0]])
  t.same((await get(mic, '/api/audits')).body.items, [], "another agency lists none of mof's audits")
  t.equal((await get(mic, `/api/audits/${auditId}`)).status, 404)
  t.equal((await get(mic, '/api/findings?agencyId=mof')).status, 400)
})

t.test('a forged cursor is a 400 InvalidCursor, never a server error', async (t) => {
  const forged = Buffer.from(JSON.stringify({ k: 'not-a-date', a: 'x', i: 'y' })).toString('base64url')
  for (const url of [`/api/audits?after=${forged}`, `/api/findings?after=${forged}`]) {
    const res = await h.app.inject({ method: 'GET', url, headers: auth(officer) })
    t.equal(res.statusCode, 400, url)
    t.equal(res.json().code, 'InvalidCursor')
  }
})
