// Alertmanager v4 and Grafana unified alerting: many alerts per delivery, resolved notices, the
// label severity table, Grafana's org in the id, and the refused legacy Grafana body.
import t from 'tap'
import { PARSER_VERSION as AM_VERSION } from '../../src/siem/alertmanager.js'
import { PARSER_VERSION as GRAFANA_VERSION } from '../../src/siem/grafana.js'
import { alerts, body, fixture, fixtureJson, parse, sha256 } from './support.js'

t.test('an Alertmanager v4 webhook gives one alert per grouped alert', async (t) => {
  const raw = fixture('alertmanager-v4.json')
  t.same(parse('alertmanager', raw), {
    format: 'alertmanager',
    parserVersion: AM_VERSION,
    payloadSha256: sha256(raw),
    alerts: [
      {
        title: 'Number of conntrack are getting close to the limit.',
        severity: 'critical',
        source: 'alertmanager',
        externalId: 'a3f1c2d4e5b60718/2024-06-12T01:15:30.123456789Z',
        occurredAt: '2024-06-12T01:15:30.123Z',
        asset: '10.20.1.7:9100',
        resolved: false,
        rule: 'NodeHighNumberConntrackEntriesUsed',
        link: 'http://prometheus-k8s-0:9090/graph?g0.expr=%28node_nf_conntrack_entries+%2F+node_nf_conntrack_entries_limit%29+%3E+0.75&g0.tab=1',
      },
      {
        title: 'TargetDown', // no summary annotation: the alert name
        severity: 'medium', // "warning"
        source: 'alertmanager',
        externalId: '5c0e8d1b9a7f6e42/2024-06-12T00:58:00Z',
        occurredAt: '2024-06-12T00:58:00.000Z',
        asset: '10.20.1.9:8080',
        resolved: true,
        rule: 'TargetDown',
        link: 'http://prometheus-k8s-0:9090/graph?g0.expr=up+%3D%3D+0&g0.tab=1',
      },
    ],
  })
})

t.test('a resolved notice carries the id of the alert it resolves; a new firing gets a new id', async (t) => {
  const firing = fixtureJson('alertmanager-v4.json')
  const resolved = fixtureJson('alertmanager-v4.json')
  resolved.alerts[0].status = 'resolved'
  resolved.alerts[0].endsAt = '2024-06-12T02:00:00Z'
  const [first] = alerts('alertmanager', body(firing))
  const [last] = alerts('alertmanager', body(resolved))
  t.equal(last?.externalId, first?.externalId)
  t.equal(first?.resolved, false)
  t.equal(last?.resolved, true)
  firing.alerts[0].startsAt = '2024-06-12T03:00:00Z'
  t.not(alerts('alertmanager', body(firing))[0]?.externalId, first?.externalId, 'same labels firing again later')
})

t.test('labels.severity is mapped through the table, case-insensitively; others say nothing', async (t) => {
  const table = {
    none: 'info', info: 'info', informational: 'info', low: 'low', minor: 'low', warning: 'medium', warn: 'medium', medium: 'medium',
    high: 'high', major: 'high', error: 'high', critical: 'critical', page: 'critical', CRITICAL: 'critical', ' Warning ': 'medium',
    P1: undefined, sev1: undefined, constructor: undefined, ['__proto__']: undefined, '': undefined,
  }
  for (const [label, severity] of Object.entries(table)) {
    const payload = fixtureJson('alertmanager-v4.json')
    payload.alerts[0].labels.severity = label
    t.equal(alerts('alertmanager', body(payload))[0]?.severity, severity, `severity=${JSON.stringify(label)}`)
  }
  const payload = fixtureJson('alertmanager-v4.json')
  delete payload.alerts[0].labels.severity
  t.equal(alerts('alertmanager', body(payload))[0]?.severity, undefined, 'no label')
})

t.test('title falls back to the alert name, then to the fingerprint; odd links and times are dropped', async (t) => {
  const payload = fixtureJson('alertmanager-v4.json')
  payload.alerts[0].annotations = null
  payload.alerts[0].generatorURL = 'javascript:alert(1)'
  payload.alerts[1].labels = { job: 'x' }
  payload.alerts[1].startsAt = '0001-01-01T00:00:00Z'
  const [a, b] = alerts('alertmanager', body(payload))
  t.equal(a?.title, 'NodeHighNumberConntrackEntriesUsed')
  t.equal(a?.link, undefined)
  t.equal(b?.title, 'Alert 5c0e8d1b9a7f6e42')
  t.equal(b?.occurredAt, undefined, 'year 1 is outside 1900–9999')
  t.equal(b?.externalId, '5c0e8d1b9a7f6e42/0001-01-01T00:00:00Z', 'the id keeps startsAt as sent')
})

t.test('an empty group is zero alerts, not an error', async (t) => {
  const payload = fixtureJson('alertmanager-v4.json')
  payload.alerts = []
  t.same(alerts('alertmanager', body(payload)), [])
})

t.test('Alertmanager shapes that are refused, with the path', async (t) => {
  const cases: [string, (p: any) => void, string][] = [
    ['another payload version', (p) => (p.version = '3'), '$.version'],
    ['numeric version', (p) => (p.version = 4), '$.version'],
    ['alerts not an array', (p) => (p.alerts = { 0: p.alerts[0] }), '$.alerts'],
    ['missing fingerprint', (p) => delete p.alerts[1].fingerprint, '$.alerts[1].fingerprint'],
    ['unknown status', (p) => (p.alerts[0].status = 'pending'), '$.alerts[0].status'],
    ['numeric label', (p) => (p.alerts[0].labels.severity = 5), '$.alerts[0].labels.severity'],
    ['startsAt as epoch', (p) => (p.alerts[0].startsAt = 1718155000), '$.alerts[0].startsAt'],
  ]
  for (const [name, change, path] of cases) {
    const payload = fixtureJson('alertmanager-v4.json')
    change(payload)
    t.throws(() => parse('alertmanager', body(payload)), { code: 'UnsupportedShape', path }, name)
  }
})

t.test('a Grafana 11 webhook: Alertmanager mapping, with the org in the id', async (t) => {
  const raw = fixture('grafana-11.json')
  t.same(parse('grafana', raw), {
    format: 'grafana',
    parserVersion: GRAFANA_VERSION,
    payloadSha256: sha256(raw),
    alerts: [
      {
        title: 'Failed VPN logins on vpn-gw-02',
        severity: 'high',
        source: 'grafana',
        externalId: '1/c6eadffa33fcdf37/2024-06-12T10:20:00+09:00',
        occurredAt: '2024-06-12T01:20:00.000Z',
        asset: 'vpn-gw-02',
        resolved: false,
        rule: 'Failed logins spike',
        link: 'https://grafana.example.go.jp/alerting/grafana/ddlh8a1x0kutcd/view?orgId=1',
      },
      {
        title: 'Disk almost full',
        severity: undefined,
        source: 'grafana',
        externalId: '1/1e2f3a4b5c6d7e8f/2024-06-12T08:00:00+09:00',
        occurredAt: '2024-06-11T23:00:00.000Z',
        asset: 'db-01',
        resolved: true,
        rule: 'Disk almost full',
        link: 'https://grafana.example.go.jp/alerting/grafana/edhx1b2y3z/view?orgId=1',
      },
    ],
  })
  const otherOrg = fixtureJson('grafana-11.json')
  otherOrg.orgId = 2
  t.equal(alerts('grafana', body(otherOrg))[0]?.externalId, '2/c6eadffa33fcdf37/2024-06-12T10:20:00+09:00', 'same rule in another org is another alert')
})

t.test('the legacy Grafana body is refused with its own code', async (t) => {
  t.throws(() => parse('grafana', fixture('grafana-legacy.json')), { code: 'LegacyGrafanaPayload', path: '$.evalMatches' })
  const ruleNameOnly = fixtureJson('grafana-legacy.json')
  delete ruleNameOnly.evalMatches
  t.throws(() => parse('grafana', body(ruleNameOnly)), { code: 'LegacyGrafanaPayload', path: '$.ruleName' })
})

t.test('Grafana needs a numeric orgId', async (t) => {
  const textOrg = fixtureJson('grafana-11.json')
  textOrg.orgId = '1'
  t.throws(() => parse('grafana', body(textOrg)), { code: 'UnsupportedShape', path: '$.orgId' })
  t.throws(() => parse('grafana', fixture('alertmanager-v4.json')), { code: 'UnsupportedShape', path: '$.orgId' }, 'an Alertmanager body is not Grafana')
  t.throws(() => parse('alertmanager', fixture('grafana-11.json')), { code: 'UnsupportedShape', path: '$.version' }, 'nor the other way round')
})
