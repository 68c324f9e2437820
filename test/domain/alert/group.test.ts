// The correlation group decider: when an alert opens an incident, joins the current one, or does neither.
import t from 'tap'
import { alertDecider, alertGroupDecider, decisionFor, type AlertEvent, type AlertGroupEvent, type CorrelateAlert } from '../../../src/domain/alert/index.js'
import { given } from '../../helpers/given.js'

const NOW = '2026-07-01T10:00:00.000Z'
const meta = { actor: { id: 'integration:x', roles: [] }, agencyId: 'mof', now: NOW, correlationId: 'c', source: 'webhook' }
const minutes = (m: number) => new Date(Date.parse('2026-07-01T09:00:00.000Z') + m * 60_000).toISOString()
const correlate = (alertId: string, at: number, over: Partial<CorrelateAlert['data']> = {}): CorrelateAlert => ({
  type: 'CorrelateAlert', metadata: meta,
  data: { integrationId: 'mof.i', rule: 'r1', asset: 'host-1', alertId, alertAt: minutes(at), meetsThreshold: true, windowMinutes: 60, currentIncidentOpen: true, newIncidentId: `inc-${alertId}`, ...over },
})
const opened = (alertId: string, at: number): AlertGroupEvent => ({
  type: 'AlertGroupIncidentOpened', data: { integrationId: 'mof.i', rule: 'r1', asset: 'host-1', alertId, incidentId: `inc-${alertId}`, alertAt: minutes(at), at: NOW },
})
const joined = (alertId: string, incidentId: string, at: number, first: number, last: number): AlertGroupEvent => ({
  type: 'AlertJoinedGroupIncident', data: { alertId, incidentId, alertAt: minutes(at), windowMinutes: 60, firstAlertAt: minutes(first), lastAlertAt: minutes(last), at: NOW },
})
const group = (...events: AlertGroupEvent[]) => given(alertGroupDecider, ...events)

t.test('the first alert that meets the threshold opens an incident with the id it was given', async (t) => {
  t.same(group().when(correlate('a1', 0)), [opened('a1', 0)])
})

t.test('below the threshold an alert opens nothing, but joins an open incident of its group', async (t) => {
  t.same(group().when(correlate('a1', 0, { meetsThreshold: false })), [])
  t.same(group(opened('a1', 0)).when(correlate('a2', 10, { meetsThreshold: false })), [joined('a2', 'inc-a1', 10, 0, 10)])
})

t.test('the window reaches before the first and after the last alert of the incident, and slides with each', async (t) => {
  const history = [opened('a1', 0), joined('a2', 'inc-a1', 50, 0, 50)]
  t.same(group(...history).when(correlate('a3', 110)), [joined('a3', 'inc-a1', 110, 0, 110)], '60 minutes after the last one (at 50) still joins')
  t.same(group(...history).when(correlate('a3', 111)), [opened('a3', 111)], 'later opens a new incident')
  t.same(group(...history).when(correlate('a3', 111, { meetsThreshold: false })), [], 'or nothing below the threshold')
  t.same(group(...history).when(correlate('a0', -60)), [joined('a0', 'inc-a1', -60, -60, 50)], 'up to 60 minutes before the first one joins, and moves the start')
  t.same(group(...history).when(correlate('a0', -61)), [opened('a0', -61)], 'earlier is another incident')
  t.same(group(...history).state(), { incidentId: 'inc-a1', firstAlertAt: minutes(0), lastAlertAt: minutes(50) })
})

t.test('the last event is the whole state: deciding on it alone equals deciding on the whole stream', async (t) => {
  const history = [opened('a1', 0), joined('a2', 'inc-a1', 50, 0, 50), joined('a0', 'inc-a1', -30, -30, 50)]
  for (const [id, at] of [['b1', 100], ['b2', 111], ['b3', -80], ['b4', -95]] as const) {
    t.same(group(history.at(-1)!).when(correlate(id, at)), group(...history).when(correlate(id, at)), `${id} at ${at}`)
  }
})

t.test('a window of 0 never joins; a closed or dismissed incident takes no more alerts', async (t) => {
  t.same(group(opened('a1', 0)).when(correlate('a2', 0, { windowMinutes: 0 })), [opened('a2', 0)])
  t.same(group(opened('a1', 0)).when(correlate('a2', 1, { currentIncidentOpen: false })), [opened('a2', 1)])
})

t.test('decisionFor reads back what the group decided for an alert', async (t) => {
  const events = [opened('a1', 0), joined('a2', 'inc-a1', 5, 0, 5), opened('a3', 200)]
  t.same(decisionFor(events, 'a1'), { incidentId: 'inc-a1', opened: true })
  t.same(decisionFor(events, 'a2'), { incidentId: 'inc-a1', opened: false })
  t.same(decisionFor(events, 'a3'), { incidentId: 'inc-a3', opened: true })
  t.equal(decisionFor(events, 'zz'), undefined)
})

t.test('an alert records its incident once; the first link stays', async (t) => {
  const receipt = { alertId: 'a1', integrationId: 'mof.i', alert: { title: 't', severity: 'high', source: 'ocsf', externalId: 'e1', resolved: false }, payloadSha256: 'x', parserVersion: 1, receivedAt: NOW, meetsThreshold: true }
  const received: AlertEvent = { type: 'AlertReceived', data: receipt }
  const link = (incidentId: string) => ({ type: 'LinkAlertToIncident' as const, data: { alertId: 'a1', incidentId }, metadata: meta })
  t.same(given(alertDecider, received).when(link('inc-1')), [{ type: 'AlertCorrelated', data: { alertId: 'a1', incidentId: 'inc-1', at: NOW } }])
  const linked: AlertEvent = { type: 'AlertCorrelated', data: { alertId: 'a1', incidentId: 'inc-1', at: NOW } }
  t.same(given(alertDecider, received, linked).when(link('inc-2')), [])
  t.equal(given(alertDecider, received, linked).state().incidentId, 'inc-1')
  t.throws(() => given(alertDecider).when(link('inc-1')), { code: 'AlertNotFound' })
})
