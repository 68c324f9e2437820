// The self-check and audit read models are the same whether their events arrive one per batch or all
// in one batch (a row created and changed in the same batch), and a rebuild from the log reproduces them.
import t from 'tap'
import { startTestApp } from '../helpers/app.js'
import { rebuildProjection } from '../../src/projections/rebuild.js'
import { assuranceProjection } from '../../src/projections/assurance.js'

t.test('one event per batch and every event in one batch build the same rows', async (t) => {
  const h = await startTestApp(t, { clock: { now: () => new Date('2026-06-15T10:00:00+09:00') } })
  await h.agency('rb')
  for (const [id, unit] of [['e1', 'u1'], ['e2', 'u1'], ['aud', 'audit']] as const) await h.employee('rb', id, unit)
  await h.admin('rb', 'assignRole', { employeeId: 'e1', role: 'SECURITY_OFFICER', scope: { kind: 'UNIT', unitId: 'u1' }, from: '2020-04-01' })
  const boss = await h.token('rb', ['CISO', 'GENERAL_SECURITY_OFFICER'], 'boss')
  const officer = await h.token('rb', ['AUDIT_OFFICER'], 'officer')
  const aud = await h.token('rb', ['AUDITOR'], 'aud')
  const e1 = await h.token('rb', [], 'e1')
  let position = 0
  const post = async (token: string, url: string, payload: object) => {
    const res = await h.app.inject({ method: 'POST', url, headers: { authorization: `Bearer ${token}` }, payload })
    if (res.statusCode >= 300) throw new Error(`${url}: ${res.body}`)
    position = res.json().position
    return res.json().id as string
  }
  await post(boss, '/api/self-checks/2026', { from: '2026-06-01', to: '2026-06-30', unitIds: ['u1'], items: [{ itemId: 'q1', question: 'q?' }, { itemId: 'q2', question: 'r?' }] })
  for (const e of ['e1', 'e2']) await post(e1, '/api/self-checks/2026/results', { employeeId: e, submittedOn: '2026-06-15', answers: [{ itemId: 'q1', compliant: e === 'e1' }, { itemId: 'q2', compliant: false }] })
  await post(boss, '/api/self-checks/2026/evaluation', { summary: 's', weakItemIds: ['q2'] })
  const fix = await post(boss, '/api/self-checks/2026/fixes', { itemId: 'q2', unitId: 'u1', description: 'd', dueOn: '2026-07-31' })
  await post(boss, `/api/self-checks/2026/fixes/${fix}/completion`, { note: 'n' })
  const audit = await post(officer, '/api/audits', { fiscalYear: 2026, title: 't', scopeUnitIds: ['u1'], auditorIds: ['aud'], fieldworkFrom: '2026-06-15', fieldworkTo: '2026-06-30' })
  await post(boss, `/api/audits/${audit}/approval`, { note: 'ok' })
  const finding = await post(aud, `/api/audits/${audit}/findings`, { unitId: 'u1', standardsItem: { edition: 'R3', code: '2.3.2' }, severity: 'MEDIUM', description: 'd', dueOn: '2026-08-31' })
  await post(aud, `/api/audits/${audit}/findings`, { unitId: 'u1', standardsItem: { edition: 'R5', code: '8.3' }, severity: 'LOW', description: 'open', dueOn: '2026-09-30' })
  await post(officer, `/api/audits/${audit}/report`, { summary: 'r' })
  await post(e1, `/api/audits/${audit}/findings/${finding}/improvement-plan`, { actions: ['a'], ownerId: 'e2', dueOn: '2026-08-15' })
  for (const status of ['IN_PROGRESS', 'IMPLEMENTED']) await post(officer, `/api/audits/${audit}/findings/${finding}/follow-ups`, { note: status, status })
  await post(officer, `/api/audits/${audit}/findings/${finding}/close`, {})
  await h.settle('rb', position)

  const rows = async (table: string) => (await h.db.owner.pool.query(`SELECT * FROM ${table} ORDER BY 1, 2, 3`)).rows
  const tables = ['self_checks', 'self_check_results', 'self_check_fixes', 'audits', 'audit_findings', 'audit_follow_ups']
  const snapshot = async () => Object.fromEntries(await Promise.all(tables.map(async (name) => [name, await rows(name)] as const)))
  const live = await snapshot()
  t.match(live.self_checks, [{ status: 'DONE', evaluation: { weakItemIds: ['q2'] } }])
  t.same(live.self_check_results?.map((r) => r.non_compliant).sort(), [['q1', 'q2'], ['q2']])
  t.match(live.audits, [{ status: 'REPORTED', approval: { by: 'boss', note: 'ok' }, report: { findingCount: 2 } }])
  t.same(live.audit_findings?.map((f) => f.status).sort(), ['CLOSED', 'OPEN'])
  t.equal(live.audit_follow_ups?.length, 2)

  for (const batchSize of [1, 10_000]) {
    await rebuildProjection(h.db.owner.pool, assuranceProjection, { batchSize })
    t.same(await snapshot(), live, `rebuilt with batches of ${batchSize}`)
  }
})
