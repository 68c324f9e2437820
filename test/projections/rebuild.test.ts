// Rebuild from position 0 into shadow tables and swap, while the live runner keeps going.
import t from 'tap'
import { startTestApp } from '../helpers/app.js'
import { rebuildProjection } from '../../src/projections/rebuild.js'
import { incidentsProjection } from '../../src/projections/incidents.js'

t.test('rebuild gives the same read model, keeps index names, and the runner continues after it', async (t) => {
  const h = await startTestApp(t)
  await h.agency('rb')
  const token = await h.token('rb', ['CSIRT_HEAD'])
  const auth = { authorization: `Bearer ${token}` }
  const ids: string[] = []
  let position = 0
  for (let i = 0; i < 30; i++) {
    const res = (await h.app.inject({ method: 'POST', url: '/api/incidents', headers: auth, payload: { title: `i${i}`, description: 'd', detectedAt: '2026-11-01T00:00:00Z' } })).json()
    ids.push(res.incidentId)
    if (i % 3 === 0) {
      position = (await h.app.inject({ method: 'POST', url: `/api/incidents/${res.incidentId}/triage`, headers: auth, payload: { assessment: 'INCIDENT', severity: 'low', rationale: 'r' } })).json().position
    } else position = res.position
  }
  t.ok(await h.runner.waitFor('incidents', 'rb', position, 10_000))
  const snapshot = async () => (await h.db.owner.pool.query('SELECT incident_id, status, version, detail FROM incidents ORDER BY incident_id')).rows
  const indexNames = async () => (await h.db.owner.pool.query("SELECT indexname FROM pg_indexes WHERE tablename = 'incidents' ORDER BY 1")).rows.map((r) => r.indexname)
  const before = await snapshot()
  const indexesBefore = await indexNames()

  // Damage the read model as a bug would; the rebuild must repair it from the log.
  await h.db.owner.pool.query("UPDATE incidents SET status = 'BROKEN'")
  const progress: string[] = []
  const result = await rebuildProjection(h.db.owner.pool, incidentsProjection, { batchSize: 7, onProgress: (p) => progress.push(p.phase) })
  t.equal(result.events, position, 'replayed every position of the agency')
  t.same(await snapshot(), before, 'same rows as before the damage')
  t.same(await indexNames(), indexesBefore, 'index (and constraint) names kept')
  t.ok(progress.includes('replay') && progress.at(-1) === 'swapped')
  const shadows = await h.db.owner.pool.query("SELECT count(*)::int AS n FROM pg_tables WHERE tablename LIKE '%__rebuild'")
  t.equal(shadows.rows[0].n, 0, 'no shadow tables left')

  // Writers keep going during a rebuild; afterwards the read model holds every event exactly once.
  let writing = true
  let written = 0
  const writer = (async () => {
    while (writing) {
      const res = await h.app.inject({ method: 'POST', url: '/api/incidents', headers: auth, payload: { title: 'during', description: 'd', detectedAt: '2026-11-01T00:00:00Z' } })
      if (res.statusCode === 201) written++
    }
  })()
  await rebuildProjection(h.db.owner.pool, incidentsProjection, { batchSize: 5 })
  writing = false
  await writer
  const head = (await h.db.owner.pool.query('SELECT position FROM agency_heads WHERE agency_id = $1', ['rb'])).rows[0].position
  t.ok(await h.runner.waitFor('incidents', 'rb', head, 10_000), 'the live runner caught up after the swap')
  t.ok(written > 0, 'writes happened during the rebuild')
  const counts = await h.db.owner.pool.query(`SELECT
    (SELECT count(*)::int FROM incidents) AS incidents,
    (SELECT count(*)::int FROM events WHERE event_type = 'IncidentReported') AS reported,
    (SELECT count(*)::int FROM incidents i JOIN (SELECT agency_id, stream_id, max(stream_version) AS v FROM events GROUP BY 1, 2) e
       ON e.agency_id = i.agency_id AND e.stream_id = 'incident-' || i.incident_id AND e.v = i.version) AS current`)
  t.equal(counts.rows[0].incidents, counts.rows[0].reported, 'one row per reported incident')
  t.equal(counts.rows[0].current, counts.rows[0].incidents, 'every row at its stream\'s latest version')

  // The live runner takes the lease back and keeps applying new events to the swapped tables.
  const after = (await h.app.inject({ method: 'POST', url: `/api/incidents/${ids[1]}/triage`, headers: auth, payload: { assessment: 'NOT_INCIDENT', rationale: 'r' } })).json()
  const seen = await h.app.inject({ method: 'GET', url: `/api/incidents/${ids[1]}?minPosition=${after.position}`, headers: auth })
  t.equal(seen.statusCode, 200)
  t.equal(seen.json().status, 'DISMISSED')
})
