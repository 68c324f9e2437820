// SIEM webhook figures, through the whole service as it runs (buildApp listening on a local port, the
// projection runner and the reactions runner), over real HTTP:
//   - ingest: deliveries per second answered 202, each a signed OCSF delivery of 10 findings, from
//     `senders` concurrent senders (closed loop), with the 202 latency; correlation runs meanwhile;
//   - drain: how long correlation and the read models take to catch up after the ingest stops;
//   - delivery to incident: at a steady rate, single-finding deliveries that each open a new incident; for
//     each, the time from just before the POST until GraphQL shows the alert's incident (`alerts` names
//     it and `incident(id)` answers it).
import { randomBytes, randomUUID } from 'node:crypto'
import type { AddressInfo } from 'node:net'
import { buildApp } from '../src/app.js'
import { registerAgency } from '../src/application/agencies.js'
import { createIntegration } from '../src/application/integrations.js'
import { secretBox } from '../src/application/secret-box.js'
import { REACTION_BATCH_SIZE, reactionProjections } from '../src/application/reactions.js'
import { systemClock, type Principal } from '../src/application/context.js'
import type { PostgresEventStore } from '../src/eventstore/postgres-store.js'
import { standardWebhookSignature } from '../src/siem/webhook-auth.js'
import { allProjections } from '../src/projections/index.js'
import { ProjectionRunner } from '../src/projections/runner.js'
import { organisationHelpers } from '../test/helpers/organisation.js'
import { stderrLogger } from './catchup.js'
import type { BenchDatabase } from './database.js'
import { latencySummary, nowMs, progress, round } from './report.js'

export interface WebhookFigures {
  ingest: Record<string, unknown>
  drain: Record<string, unknown>
  hotGroup: Record<string, unknown>
  deliveryToIncident: Record<string, unknown>
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms))
const quiet = { ...stderrLogger, info: () => undefined, debug: () => undefined }

/** An OCSF Detection Finding; `group` picks the rule and asset (findings of one group correlate). */
function finding(uid: string, group: number, severityId = 4) {
  const time = Date.now()
  return {
    class_uid: 2004, severity_id: severityId, status_id: 1, time,
    finding_info: { uid, title: `Bench finding ${uid}`, first_seen_time: time, src_url: `https://siem.example/f/${uid}`, analytic: { uid: `rule-${group % 10}` } },
    resources: [{ name: `host-${group}` }],
  }
}

export async function measureWebhooks(db: BenchDatabase, store: PostgresEventStore, opts: { seconds: number; senders: number; latencySamples: number; latencyRate: number; hotAlerts: number }): Promise<WebhookFigures> {
  const pool = db.app.pool
  const services = { store, clock: systemClock, pool }
  const runner = new ProjectionRunner({ pool, projections: allProjections, logger: quiet, owner: `bench-wh-${randomUUID()}` })
  const reactions = new ProjectionRunner({ pool, projections: reactionProjections(services), logger: quiet, batchSize: REACTION_BATCH_SIZE, owner: `bench-wh-reactions-${randomUUID()}` })
  const offAppended = store.onAppended(() => {
    runner.wake()
    reactions.wake()
  })
  // The integration's secret is sealed with the key the app opens it with.
  const secretsKey = randomBytes(32)
  const app = await buildApp({
    pool, kysely: db.app.kysely, store, runner, clock: systemClock, secretsKey,
    incidentPolicy: { nationalCentreName: 'National Cybersecurity Office', closeRequiresNotification: true },
    readWaitMs: 5_000, graphiql: false, logger: false,
  })
  runner.start()
  reactions.start()
  try {
    await app.listen({ port: 0, host: '127.0.0.1' })
    const base = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`
    // Fresh runners start at position 0: let them catch up with what earlier sections wrote before measuring.
    progress('webhooks: the projection and reaction runners catching up with the log so far')
    for (const [agency, head] of await store.heads()) {
      for (const r of [runner, reactions]) for (const p of r.status()) if (!(await r.waitFor(p.name, agency, head, 600_000))) throw new Error(`${p.name} did not catch up with ${agency}@${head}`)
    }
    const agencyId = 'bench-wh'
    await registerAgency(store, systemClock, { agencyId, name: 'Webhook bench agency', kind: 'NATIONAL_ADMINISTRATIVE_ORGAN' }, 'bench', { correlationId: randomUUID(), source: 'cli' })
    const org = organisationHelpers({ store, clock: systemClock, pool, waitFor: (...a) => runner.waitFor(...a), projections: allProjections })
    const token = await org.token(agencyId, ['CSIRT_HEAD'], 'bench-csirt')
    const operator: Principal = { agencyId, actorId: 'bench', roles: [], tokenId: 'bench', system: true }
    const integration = await createIntegration(services, secretBox(secretsKey), operator, { name: 'bench', format: 'ocsf', authMode: 'standard-webhooks', severityThreshold: 'medium', correlationWindowMinutes: 60 }, { correlationId: randomUUID(), source: 'cli' })

    let message = 0
    const deliver = async (findings: object[]) => {
      const raw = Buffer.from(JSON.stringify(findings))
      const id = `msg_${++message}`
      const ts = Math.floor(Date.now() / 1000)
      const res = await fetch(`${base}/webhooks/${integration.id}`, {
        method: 'POST', body: raw,
        headers: { 'content-type': 'application/json', 'webhook-id': id, 'webhook-timestamp': String(ts), 'webhook-signature': standardWebhookSignature(integration.secret, id, ts, raw) },
      })
      await res.arrayBuffer()
      return res.status
    }
    const gql = async (query: string, variables: object) => {
      const res = await fetch(`${base}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body: JSON.stringify({ query, variables }) })
      return (await res.json()) as { data?: Record<string, any>; errors?: unknown[] }
    }

    // 1. Ingest: closed loop, `senders` in flight, 10 findings per delivery over 200 groups (rule × asset).
    progress(`webhooks: ingest for ${opts.seconds} s, ${opts.senders} senders, 10 findings per delivery`)
    const warmupMs = 1_000
    const start = nowMs()
    const measureFrom = start + warmupMs
    const measureTo = measureFrom + opts.seconds * 1_000
    let accepted = 0
    let refused = 0
    const latencies: number[] = []
    let seq = 0
    await Promise.all(Array.from({ length: opts.senders }, async () => {
      while (nowMs() < measureTo) {
        const batch = Array.from({ length: 10 }, () => finding(`i-${++seq}`, seq % 200))
        const t0 = nowMs()
        const status = await deliver(batch)
        const t1 = nowMs()
        if (t0 < measureFrom || t1 > measureTo) continue
        if (status === 202) {
          accepted++
          latencies.push(t1 - t0)
        } else refused++
      }
    }))
    const ingest = {
      metric: 'webhook_ingest', format: 'ocsf', alertsPerDelivery: 10, senders: opts.senders, seconds: opts.seconds,
      deliveriesPerSec: round(accepted / opts.seconds, 1), alertsPerSec: round((accepted * 10) / opts.seconds), notAccepted: refused,
      ...Object.fromEntries(Object.entries(latencySummary(latencies)).map(([k, v]) => [`accepted${k[0]?.toUpperCase()}${k.slice(1)}`, v])),
      note: 'closed loop over HTTP; correlation into incidents runs in the reactions runner at the same time',
    }

    // 2. Drain: correlation (and then the read models) catch up with what the ingest left behind.
    progress('webhooks: waiting for correlation and the read models to catch up')
    const drainStart = nowMs()
    const drained = await settle(store, runner, reactions, agencyId)
    const drain = {
      metric: 'webhook_correlation_drain', seconds: round((nowMs() - drainStart) / 1000, 2), caughtUp: drained,
      incidents: Number((await pool.query('SELECT count(*) AS n FROM incidents WHERE agency_id = $1', [agencyId])).rows[0]?.n ?? 0),
      alerts: Number((await pool.query('SELECT count(*) AS n FROM alerts WHERE agency_id = $1', [agencyId])).rows[0]?.n ?? 0),
      alertsWithoutIncident: Number((await pool.query('SELECT count(*) AS n FROM alerts WHERE agency_id = $1 AND incident_id IS NULL', [agencyId])).rows[0]?.n ?? 0),
    }

    // 2b. One noisy group: a rule firing on one host, every alert joining the same incident.
    progress(`webhooks: one noisy group, ${opts.hotAlerts} alerts in deliveries of 50`)
    const hotStart = nowMs()
    for (let sent = 0; sent < opts.hotAlerts; sent += 50) {
      const status = await deliver(Array.from({ length: Math.min(50, opts.hotAlerts - sent) }, (_, i) => ({ ...finding(`hot-${sent + i}`, 7), resources: [{ name: 'hot-host' }], finding_info: { ...finding(`hot-${sent + i}`, 7).finding_info, analytic: { uid: 'hot-rule' } } })))
      if (status !== 202) throw new Error(`hot group delivery answered ${status}`)
    }
    const hotCaughtUp = await settle(store, runner, reactions, agencyId)
    const hotSeconds = (nowMs() - hotStart) / 1000
    const hotIncidents = Number((await pool.query(`SELECT count(DISTINCT incident_id) AS n FROM alerts WHERE agency_id = $1 AND external_id LIKE 'hot-%'`, [agencyId])).rows[0]?.n ?? 0)
    const hotGroup = {
      metric: 'webhook_hot_group', alerts: opts.hotAlerts, seconds: round(hotSeconds, 2), alertsPerSec: round(opts.hotAlerts / hotSeconds), caughtUp: hotCaughtUp, incidents: hotIncidents,
      note: 'deliveries sent one after another, then until correlation and read models caught up; every alert joins one incident',
    }

    // 3. Delivery to incident visible in GraphQL, at a steady rate, each finding in a group of its own.
    progress(`webhooks: delivery to incident in GraphQL, ${opts.latencySamples} samples at ${opts.latencyRate}/s`)
    const samples: number[] = []
    const acceptedMs: number[] = []
    const linkedMs: number[] = []
    let unresolved = 0
    const one = async (i: number) => {
      const uid = `l-${i}`
      const t0 = nowMs()
      const status = await deliver([finding(uid, 10_000 + i, 5)])
      if (status !== 202) {
        unresolved++
        return
      }
      acceptedMs.push(nowMs() - t0)
      const deadline = t0 + 30_000
      let incidentId: string | undefined
      while (nowMs() < deadline) {
        if (incidentId === undefined) {
          const r = await gql('query($x: String) { alerts(filter: { externalId: $x }, first: 1) { edges { node { incidentId } } } }', { x: uid })
          incidentId = r.data?.alerts?.edges?.[0]?.node?.incidentId ?? undefined
          if (incidentId !== undefined) linkedMs.push(nowMs() - t0)
        }
        if (incidentId !== undefined) {
          const r = await gql('query($id: ID!) { incident(id: $id) { id } }', { id: incidentId })
          if (r.data?.incident?.id === incidentId) {
            samples.push(nowMs() - t0)
            return
          }
        }
        await sleep(5)
      }
      unresolved++
    }
    const pending: Promise<void>[] = []
    const interval = 1_000 / opts.latencyRate
    const t0 = nowMs()
    for (let i = 0; i < opts.latencySamples; i++) {
      const due = t0 + i * interval
      const wait = due - nowMs()
      if (wait > 0) await sleep(wait)
      pending.push(one(i))
    }
    await Promise.all(pending)
    const deliveryToIncident = {
      metric: 'webhook_delivery_to_incident', rate: opts.latencyRate, samples: samples.length, unresolved, ...latencySummary(samples),
      stagesP50Ms: { accepted: latencySummary(acceptedMs).p50Ms, alertShowsIncident: latencySummary(linkedMs).p50Ms, incidentVisible: latencySummary(samples).p50Ms },
      note: 'from just before the POST until GraphQL answers the incident the alert opened (polled every 5 ms)',
    }
    return { ingest, drain, hotGroup, deliveryToIncident }
  } finally {
    offAppended()
    await app.close()
    await reactions.stop()
    await runner.stop()
  }
}

async function settle(store: PostgresEventStore, runner: ProjectionRunner, reactions: ProjectionRunner, agencyId: string): Promise<boolean> {
  for (let round = 0; round < 50; round++) {
    const head = (await store.heads()).get(agencyId) ?? 0
    for (const p of reactions.status()) if (!(await reactions.waitFor(p.name, agencyId, head, 300_000))) return false
    for (const p of runner.status()) if (!(await runner.waitFor(p.name, agencyId, head, 300_000))) return false
    if (((await store.heads()).get(agencyId) ?? 0) === head) return true
  }
  return false
}
