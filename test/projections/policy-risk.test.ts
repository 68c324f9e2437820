// The policy, risks and reviews-due read models rebuilt from the log (in batches small enough to split
// every fold across batches) equal the ones the live runner built.
import t from 'tap'
import { baselineItems } from '../../src/domain/shared/common-standards.js'
import { policyProjection } from '../../src/projections/policy.js'
import { rebuildProjection } from '../../src/projections/rebuild.js'
import { reviewsDueProjection } from '../../src/projections/reviews-due.js'
import { risksProjection } from '../../src/projections/risks.js'
import { startTestApp } from '../helpers/app.js'

const h = await startTestApp(t, { clock: { now: () => new Date('2026-06-15T10:00:00+09:00') } })
await h.agency('rb')
const ciso = await h.token('rb', ['CISO', 'CSIRT_HEAD'], 'boss')
const post = async (url: string, payload: object) =>
  (await h.app.inject({ method: 'POST', url, headers: { authorization: `Bearer ${ciso}` }, payload })).json()

await post('/api/policy/basic-policy', { version: 'v1', title: 'Policy', summary: 's', adoptedOn: '2026-04-01' })
await post('/api/policy/standards', { version: 's1', edition: 'R3', adoptedOn: '2026-04-02', items: [{ itemId: 'all', title: 'All', covers: baselineItems('R3') }] })
for (let i = 0; i < 5; i++) {
  const risk = await post('/api/risks', { title: `r${i}`, threat: 't', likelihood: 'LOW', impact: 'HIGH', measures: [], reviewBy: '2026-12-31' })
  await post(`/api/risks/${risk.id}/reassessment`, { reason: 'worse', likelihood: 'HIGH', measures: ['m'] })
  if (i % 2 === 0) await post(`/api/risks/${risk.id}/retirement`, { reason: 'gone' })
  if (i === 2) await post('/api/policy/reviews', { outcome: 'UNCHANGED', notes: 'n' })
}
const incident = await post('/api/incidents', { title: 'x', description: 'd', detectedAt: '2026-06-15T09:00:00+09:00' })
await post(`/api/incidents/${incident.incidentId}/triage`, { assessment: 'INCIDENT', severity: 'low', rationale: 'r' })
await h.settle('rb')

const snapshots: Record<string, string> = {
  policy: 'SELECT * FROM policy_documents ORDER BY agency_id, document, version',
  reviews: 'SELECT * FROM policy_reviews ORDER BY agency_id, review_id',
  risks: 'SELECT * FROM risks ORDER BY agency_id, risk_id',
  due: 'SELECT * FROM reviews_due ORDER BY agency_id, subject',
}
const snapshot = async () => Object.fromEntries(await Promise.all(Object.entries(snapshots).map(async ([k, q]) => [k, (await h.db.owner.pool.query(q)).rows])))

t.test('the live read models hold what the scenario did', async (t) => {
  const s = await snapshot()
  t.equal(s.policy.length, 2)
  t.equal(s.reviews.length, 1)
  t.equal(s.risks.filter((r: { retired: boolean }) => r.retired).length, 3)
  t.ok(s.risks.every((r: { likelihood: string; reassessments: number; measures: string[] }) => r.likelihood === 'HIGH' && r.reassessments === 1 && r.measures[0] === 'm'))
  const [plan, policy] = s.due
  t.match(plan, { subject: 'PLAN', due: true, reason_count: 11 }, 'ten risk events and the incident since the start')
  t.match(policy, { subject: 'POLICY', due: true, reason_count: 5 }, 'two risks after the review (four events) and the incident')
})

t.test('rebuilding in batches of 2 gives the same rows', async (t) => {
  const before = await snapshot()
  await h.db.owner.pool.query('UPDATE reviews_due SET due = false, reasons = \'[]\'::jsonb; UPDATE risks SET likelihood = \'LOW\'; DELETE FROM policy_reviews')
  for (const projection of [policyProjection, risksProjection, reviewsDueProjection]) {
    await rebuildProjection(h.db.owner.pool, projection, { batchSize: 2 })
  }
  t.same(await snapshot(), before)
})
