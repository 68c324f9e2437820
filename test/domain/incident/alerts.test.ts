// Incidents fed by SIEM alerts: opened by an alert (source SIEM), later alerts linked once, resolutions shown once.
import t from 'tap'
import { incidentDecider, type IncidentAlert, type IncidentAlertCommand, type IncidentEvent } from '../../../src/domain/incident/index.js'
import { given } from '../../helpers/given.js'
import { metadata } from '../../helpers/incident-commands.js'

const NOW = '2026-11-27T01:00:00.000Z'
const meta = metadata({ actor: { id: 'integration:mof.i', roles: [] }, now: NOW, source: 'webhook' })
const alert = (alertId: string, over: Partial<IncidentAlert> = {}): IncidentAlert => ({
  alertId, integrationId: 'mof.i', source: 'ocsf', externalId: `ext-${alertId}`, title: 'Trojan detected', severity: 'high',
  occurredAt: '2026-11-27T00:55:00.000Z', asset: 'WS-0207', rule: 'cs-ml-41', link: 'https://falcon.example.com/d/1', receivedAt: '2026-11-27T00:59:00.000Z', ...over,
})
const cmd = (c: Omit<IncidentAlertCommand, 'metadata'>) => ({ ...c, metadata: meta }) as IncidentAlertCommand
const open = (a = alert('a1')) => cmd({ type: 'OpenIncidentFromAlert', data: { incidentId: 'inc-1', alert: a } })
const incident = (...events: IncidentEvent[]) => given(incidentDecider, ...events)

t.test('an alert opens an incident reported by its integration, with the alert linked', async (t) => {
  const events = incident().when(open())
  t.same(events.map((e) => e.type), ['IncidentReported', 'IncidentAlertLinked'])
  t.match(events[0]?.data, {
    incidentId: 'inc-1', title: 'Trojan detected', source: 'SIEM', reportedBy: 'integration:mof.i', initialSeverity: 'high',
    detectedAt: '2026-11-27T00:55:00.000Z', reportedAt: NOW, affectedSystems: ['WS-0207'],
  })
  t.match(events[1]?.data, { alertId: 'a1', opened: true, link: 'https://falcon.example.com/d/1', at: NOW })
  t.throws(() => incident(...events).when(open()), { code: 'IncidentAlreadyExists' }, 'a repeated reaction is answered by its key before deciding')
})

t.test('severity info starts at low; a sender clock ahead never makes detection later than the report; long titles are cut', async (t) => {
  const reported = (a: IncidentAlert) => incident().when(open(a))[0]?.data as Extract<IncidentEvent, { type: 'IncidentReported' }>['data']
  const report = reported(alert('a1', { severity: 'info', occurredAt: '2026-11-27T02:00:00.000Z', title: 'x'.repeat(300) }))
  t.equal(report.initialSeverity, 'low')
  t.equal(report.detectedAt, NOW)
  t.equal(report.title.length, 200)
  const noTime = reported(alert('a1', { occurredAt: undefined, asset: undefined }))
  t.equal(noTime.detectedAt, '2026-11-27T00:59:00.000Z', 'received time when the payload gives none')
  t.same(noTime.affectedSystems, [])
})

t.test('later alerts are linked in any step; resolutions and alerts firing again are recorded; all need the incident', async (t) => {
  const opened = incident().when(open())
  const link = cmd({ type: 'LinkAlert', data: { alert: alert('a2'), windowMinutes: 60 } })
  const linked = incident(...opened).when(link)
  t.match(linked, [{ type: 'IncidentAlertLinked', data: { alertId: 'a2', opened: false, windowMinutes: 60 } }])
  const dismissed: IncidentEvent = { type: 'IncidentTriaged', data: { by: 'u', at: NOW, assessment: 'NOT_INCIDENT', serious: false, rationale: 'test' } }
  t.equal(incident(...opened, dismissed).when(link).length, 1, 'a late alert is still recorded')
  t.equal(incident(...opened, ...linked).when(link).length, 1, 'once only is the reaction\'s business (the alert stream and its keys), not the incident\'s')
  const resolve = cmd({ type: 'ResolveLinkedAlert', data: { alertId: 'a2', resolvedAt: NOW } })
  t.same(incident(...opened, ...linked).when(resolve), [{ type: 'IncidentAlertResolved', data: { alertId: 'a2', resolvedAt: NOW, at: NOW } }])
  const reopen = cmd({ type: 'ReopenLinkedAlert', data: { alertId: 'a2', firingAgainAt: NOW } })
  t.same(incident(...opened, ...linked).when(reopen), [{ type: 'IncidentAlertReopened', data: { alertId: 'a2', firingAgainAt: NOW, at: NOW } }])
  for (const c of [link, resolve, reopen]) t.throws(() => incident().when(c), { code: 'IncidentNotFound' }, c.type)
  // They decide on the last event alone (fold 'last'): any event of the stream proves the incident exists.
  t.equal(incident(linked[0]!).when(link).length, 1)
  t.same(incident(linked[0]!).state(), { status: 'NONE', notified: false, seen: true })
})
