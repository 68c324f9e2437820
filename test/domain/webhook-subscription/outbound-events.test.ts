// The public event catalogue: every public type has a source, payloads are minimal (no free text beyond
// the title), and internal addresses are recognised in every spelling the dispatcher may meet.
import t from 'tap'
import { exceptionEventTypes } from '../../../src/domain/exception/events.js'
import { incidentEventTypes } from '../../../src/domain/incident/events.js'
import {
  internalAddressKind, outboundEventMappings, outboundSourceTypes, sourcesOf, toOutboundEvent, webhookEventTypeNames,
} from '../../../src/domain/webhook-subscription/index.js'

t.test('every public type has a stored source, and every source is a real event type', async (t) => {
  for (const name of webhookEventTypeNames) t.ok(sourcesOf(name).length > 0, name)
  const known = new Set<string>([...incidentEventTypes, ...exceptionEventTypes])
  t.same(outboundSourceTypes.filter((s) => !known.has(s)), [])
  t.same(sourcesOf('exception.decided'), ['ExceptionApproved', 'ExceptionRejected'])
  t.match(webhookEventTypeNames, ['incident.reported', 'incident.triaged', 'incident.escalated', 'incident.notified', 'incident.closed', 'exception.decided', 'exception.revoked', 'exception.overdue'])
})

t.test('payloads carry ids, status, severity, title and times only', async (t) => {
  const reported = toOutboundEvent('IncidentReported', {
    incidentId: 'i1', title: 'Phishing', description: 'SECRET DETAILS', detectedAt: '2026-07-01T00:00:00Z', reportedAt: '2026-07-01T00:01:00Z', reportedBy: 'u1',
    source: 'EMPLOYEE', initialSeverity: 'high', affectedSystems: ['mail'], affectedInformation: [{ label: 'C3', description: 'SECRET' }],
  }, 'incident-i1')
  t.same(reported, { publicType: 'incident.reported', payload: { incidentId: 'i1', title: 'Phishing', source: 'EMPLOYEE', severity: 'high', detectedAt: '2026-07-01T00:00:00Z' } })
  const triaged = toOutboundEvent('IncidentTriaged', { by: 'u2', at: '2026-07-01T01:00:00Z', assessment: 'INCIDENT', severity: 'critical', serious: true, rationale: 'SECRET' }, 'incident-i1')
  t.same(triaged?.payload, { incidentId: 'i1', assessment: 'INCIDENT', severity: 'critical', serious: true, triagedAt: '2026-07-01T01:00:00Z' })
  t.same(toOutboundEvent('NationalCentreNotified', { by: 'u', at: 'T', destination: 'NCO', summary: 'SECRET', reference: 'R-1' }, 'incident-i1'), { publicType: 'incident.notified', payload: { incidentId: 'i1', notifiedAt: 'T' } })
  t.same(toOutboundEvent('ExceptionRejected', { exceptionId: 'e1', rejectedBy: 'a', reasons: 'SECRET', emergency: false, at: 'T' }, 'exception-e1')?.payload,
    { exceptionId: 'e1', decision: 'REJECTED', emergency: false, decidedAt: 'T' })
  t.equal(toOutboundEvent('IncidentContained', { by: 'u', at: 'T', actions: ['x'] }, 'incident-i1'), undefined, 'not in the catalogue')
  t.equal(toOutboundEvent('constructor', {}, 'x'), undefined, 'no prototype lookups')
  t.equal(Object.keys(outboundEventMappings).length, outboundSourceTypes.length)
})

t.test('internal addresses in every spelling', async (t) => {
  const cases: [string, string | undefined][] = [
    ['127.0.0.1', 'loopback'], ['10.0.0.8', 'private'], ['192.168.0.1', 'private'], ['172.20.1.1', 'private'], ['169.254.169.254', 'link-local'],
    ['::1', 'loopback'], ['[::1]', 'loopback'], ['fe80::1', 'link-local'], ['fd12:3456::1', 'private (unique local)'], ['::ffff:127.0.0.1', 'loopback'],
    ['::ffff:7f00:1', 'loopback'], ['0:0:0:0:0:ffff:a00:1', 'private'], ['64:ff9b::c0a8:1', 'private'],
    ['64:ff9b:1::a00:1', 'private (local-use NAT64)'], ['64:ff9b:1:ffff::1', 'private (local-use NAT64)'],
    ['2001::1', 'reserved (Teredo tunnel)'], ['2001:0:4136:e378:8000:63bf:3fff:fdd2', 'reserved (Teredo tunnel)'],
    ['192.88.99.1', 'reserved (6to4 relay anycast, deprecated)'], ['2002:c058:6301::1', 'reserved (6to4 relay anycast, deprecated)'],
    ['100::1', 'reserved (discard-only)'], ['2001:2::1', 'benchmarking'], ['3fff:fff::1', 'documentation'],
    ['192.88.98.1', undefined], ['192.88.100.1', undefined], ['2001:1::1', undefined], ['3fff:1000::1', undefined], ['100:0:0:1::1', undefined],
    ['8.8.8.8', undefined], ['2001:4860:4860::8888', undefined], ['::ffff:8.8.8.8', undefined], ['example.jp', undefined], ['1.2.3', undefined], ['1::2::3', undefined],
  ]
  for (const [host, kind] of cases) t.equal(internalAddressKind(host), kind, host)
})
