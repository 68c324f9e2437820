// The information system ledger and the reviews-due read model rebuilt from the log (in batches small
// enough to split every fold across batches) equal the ones the live runner built; a continuity exercise
// with findings makes the promotion plan due, and the plan's review clears it.
import t from 'tap'
import { rebuildProjection } from '../../src/projections/rebuild.js'
import { reviewsDueProjection } from '../../src/projections/reviews-due.js'
import { systemsProjection } from '../../src/projections/systems.js'
import { startTestApp } from '../helpers/app.js'

const h = await startTestApp(t, { clock: { now: () => new Date('2026-07-01T10:00:00+09:00') } })
await h.agency('rb')
const ciso = await h.token('rb', ['CISO'], 'boss')
const gso = await h.token('rb', ['GENERAL_SECURITY_OFFICER'], 'tanaka')
const post = async (token: string, url: string, payload: object) => {
  const res = await h.app.inject({ method: 'POST', url, headers: { authorization: `Bearer ${token}` }, payload })
  if (res.statusCode >= 300) throw new Error(`${url}: ${res.body}`)
  return res.json()
}

for (let i = 0; i < 4; i++) {
  const id = `S-${i}`
  await post(gso, '/api/systems', { systemId: id, name: id, purpose: 'p', ownerUnitId: 'general', informationClasses: [`C${1 + (i % 3)}I1A1`], internetFacing: i % 2 === 0, criticality: 'HIGH', reviewDueOn: '2026-06-01' })
  await post(gso, `/api/systems/${id}/documents`, { kind: 'SECURITY_REQUIREMENTS', title: 'SR', version: '1', issuedOn: '2026-06-01' })
  await post(gso, `/api/systems/${id}/documents`, { kind: 'SECURITY_REQUIREMENTS', title: 'SR', version: '2', issuedOn: '2026-06-02' })
  await post(ciso, `/api/systems/${id}/security-requirements/approval`, { documentVersion: '2' })
  await post(gso, `/api/systems/${id}/stage`, { to: 'PROCUREMENT' })
  await post(gso, `/api/systems/${id}/ledger`, { criticality: 'CRITICAL', informationClasses: ['C3I2A2'] })
  await post(gso, `/api/systems/${id}/crypto-policy`, { algorithms: [{ use: 'tls', algorithm: i % 2 ? 'SHA-1' : 'AES-128-GCM' }] })
  await post(gso, `/api/systems/${id}/continuity-plan`, { version: '1', measures: ['m'] })
  await post(gso, `/api/systems/${id}/continuity-exercises`, { heldOn: '2026-06-15', scenario: 's', securityMeasuresHeld: i !== 1, findings: i === 2 ? ['f'] : [] })
  if (i % 2 === 0) await post(gso, `/api/systems/${id}/internet-services`, { serviceName: 'www', domain: `s${i}.example.go.jp`, measures: { tls: { enabled: true, minVersion: '1.3' }, domainAuthenticity: { dnssec: true }, noInsecureContent: { noPlugins: true, noUnsignedDownloads: true } } })
  await post(gso, `/api/systems/${id}/reviews`, { findings: 'ok', nextReviewDueOn: '2027-06-01' })
}
await h.settle('rb')

const snapshots: Record<string, string> = {
  systems: 'SELECT * FROM information_systems ORDER BY agency_id, system_id',
  due: 'SELECT * FROM reviews_due ORDER BY agency_id, subject',
}
const snapshot = async () => Object.fromEntries(await Promise.all(Object.entries(snapshots).map(async ([k, q]) => [k, (await h.db.owner.pool.query(q)).rows])))

t.test('the live read models hold what the scenario did', async (t) => {
  const s = await snapshot()
  t.equal(s.systems.length, 4)
  t.ok(s.systems.every((r: { stage: string; criticality: string; highest_class: string; review_count: number; review_due_on: string; exercise_count: number }) =>
    r.stage === 'PROCUREMENT' && r.criticality === 'CRITICAL' && r.highest_class === 'C3I2A2' && r.review_count === 1 && r.review_due_on === '2027-06-01' && r.exercise_count === 1))
  t.same(s.systems[0].documents[0].versions.map((v: { version: string }) => v.version), ['1', '2'])
  t.same(s.systems.map((r: { internet_services: unknown[] }) => r.internet_services.length), [1, 0, 1, 0])
  t.same(s.due.map((r: { subject: string; due: boolean; reason_count: number }) => [r.subject, r.due, r.reason_count]), [['PLAN', true, 2]], 'S-1 (measures failed) and S-2 (findings); never the policy')
  t.same(s.due[0].reasons.map((r: { eventType: string; streamId: string }) => `${r.eventType} ${r.streamId}`), ['ContinuityExerciseHeld system-S-1', 'ContinuityExerciseHeld system-S-2'])
})

t.test('rebuilding in batches of 2 gives the same rows', async (t) => {
  const before = await snapshot()
  await h.db.owner.pool.query("UPDATE information_systems SET stage = 'PLANNING', documents = '[]'::jsonb; UPDATE reviews_due SET due = false, reasons = '[]'::jsonb")
  for (const projection of [systemsProjection, reviewsDueProjection]) await rebuildProjection(h.db.owner.pool, projection, { batchSize: 2 })
  t.same(await snapshot(), before)
})

t.test("the promotion plan's review clears what the exercises made due", async (t) => {
  await post(ciso, '/api/plans', { fiscalYear: 2026, title: 'FY2026 plan' })
  await post(ciso, '/api/plans/2026/review', { outcome: 'NEEDS_REVISION', notes: 'exercise findings taken in' })
  await h.settle('rb')
  const due = (await h.db.owner.pool.query("SELECT due, reason_count FROM reviews_due WHERE agency_id = 'rb' AND subject = 'PLAN'")).rows[0]
  t.same(due, { due: false, reason_count: 0 })
})
