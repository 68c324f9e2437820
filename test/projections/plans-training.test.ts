// The plans and training read models are the same whether their events arrive one per batch or all in
// one batch (items and progress of one plan, reviews, repeated course additions and completions), and a
// rebuild from the log reproduces them.
import t from 'tap'
import { startTestApp } from '../helpers/app.js'
import { rebuildProjection } from '../../src/projections/rebuild.js'
import { plansProjection } from '../../src/projections/plans.js'
import { trainingProjection } from '../../src/projections/training.js'

t.test('one event per batch and every event in one batch build the same rows', async (t) => {
  const h = await startTestApp(t, { clock: { now: () => new Date('2026-11-15T10:00:00+09:00') } })
  await h.agency('rb')
  await h.employee('rb', 'e1', 'u1')
  await h.employee('rb', 'e2', 'u1')
  const token = await h.token('rb', ['CISO'], 'boss')
  let position = 0
  const post = async (url: string, payload: object) => {
    const res = await h.app.inject({ method: 'POST', url, headers: { authorization: `Bearer ${token}` }, payload })
    if (res.statusCode >= 300) throw new Error(`${url}: ${res.body}`)
    position = res.json().position
  }
  await post('/api/plans', { fiscalYear: 2026, title: 'plan', items: [{ itemId: 'a', title: 'a', ownerId: 'e1', dueOn: '2026-12-01' }] })
  await post('/api/plans/2026/items', { itemId: 'b', title: 'b', ownerId: 'e2', dueOn: '2027-02-01', article: 6 })
  for (const percent of [10, 50]) await post('/api/plans/2026/items/a/progress', { status: 'IN_PROGRESS', percent })
  await post('/api/plans/2026/items/b/progress', { status: 'DEFERRED', percent: 0, note: 'next year' })
  await post('/api/plans/2026/review', { outcome: 'ON_TRACK', notes: 'one' })
  await post('/api/plans/2026/review', { outcome: 'NEEDS_REVISION', notes: 'two' })
  await post('/api/plans', { fiscalYear: 2025, title: 'old plan', items: [] })
  await post('/api/training', { fiscalYear: 2026, courses: [{ courseId: 'c1', title: 'c1' }] })
  await post('/api/training/2026/courses', { courseId: 'c2', title: 'c2', audience: { kind: 'UNITS', unitIds: ['u1'] } })
  await post('/api/training/2026/courses/c1/completions', { completedOn: '2026-05-01', employeeIds: ['e1'] })
  await post('/api/training/2026/courses/c1/completions', { completedOn: '2026-06-01', employeeIds: ['e1', 'e2'] })
  await post('/api/training/2026/courses/c2/completions', { completedOn: '2026-07-01', employeeIds: ['e2'] })
  await h.settle('rb', position)

  const rows = async (table: string) => (await h.db.owner.pool.query(`SELECT * FROM ${table} ORDER BY 1, 2, 3`)).rows
  const snapshot = async () => ({
    plans: await rows('plans'), plan_items: await rows('plan_items'), training_plans: await rows('training_plans'),
    training_courses: await rows('training_courses'), training_completions: await rows('training_completions'),
  })
  const live = await snapshot()
  t.equal(live.plan_items.length, 2)
  t.same(live.plan_items.find((i) => i.item_id === 'a')?.progress.map((p: { percent: number }) => p.percent), [10, 50])
  t.same(live.plans.find((p) => p.fiscal_year === 2026)?.reviews.map((r: { notes: string }) => r.notes), ['one', 'two'])
  t.same(live.training_completions.map((c) => `${c.employee_id}:${c.course_id}:${c.completed_on.toISOString().slice(0, 10)}`).sort(),
    ['e1:c1:2026-05-01', 'e2:c1:2026-06-01', 'e2:c2:2026-07-01'], 'e1 keeps its first completion date')

  for (const batchSize of [1, 10_000]) {
    await rebuildProjection(h.db.owner.pool, plansProjection, { batchSize })
    await rebuildProjection(h.db.owner.pool, trainingProjection, { batchSize })
    t.same(await snapshot(), live, `rebuilt with batches of ${batchSize}`)
  }
})
