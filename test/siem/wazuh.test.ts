// Wazuh alerts, raw and in the Shuffle wrapper: mapping, level bands, and refused shapes.
import t from 'tap'
import { PARSER_VERSION } from '../../src/siem/wazuh.js'
import { body, fixture, fixtureJson, only, parse, sha256 } from './support.js'

t.test('a raw Wazuh alert maps as siem.md says', async (t) => {
  const raw = fixture('wazuh-alert.json')
  const result = parse('wazuh', raw)
  t.same(result, {
    format: 'wazuh',
    parserVersion: PARSER_VERSION,
    payloadSha256: sha256(raw),
    alerts: [{
      title: 'sshd: brute force trying to get access to the system. Non existent user.',
      severity: 'medium',
      source: 'wazuh',
      externalId: '1718154942.2845670',
      occurredAt: '2024-06-12T01:15:42.381Z', // written 10:15:42.381+0900
      asset: 'web-prod-01',
      resolved: false,
      rule: '5712',
    }],
  })
})

t.test('the Shuffle wrapper is unwrapped: the alert in all_fields is what counts', async (t) => {
  t.same(only('wazuh', fixture('wazuh-shuffle.json')), {
    title: 'Host-based anomaly detection event (rootcheck).',
    severity: 'low', // all_fields.rule.level 7, not the wrapper's own "severity": 2
    source: 'wazuh',
    externalId: '1718154123.99812',
    occurredAt: '2024-06-12T01:02:03.004Z',
    asset: 'wazuh-manager',
    resolved: false,
    rule: '510',
  })
})

t.test('rule.level bands: 0–3 info, 4–7 low, 8–11 medium, 12–14 high, 15–16 critical', async (t) => {
  const expected = { 0: 'info', 3: 'info', 4: 'low', 7: 'low', 8: 'medium', 11: 'medium', 12: 'high', 14: 'high', 15: 'critical', 16: 'critical' }
  for (const [level, severity] of Object.entries(expected)) {
    const alert = fixtureJson('wazuh-alert.json')
    alert.rule.level = Number(level)
    t.equal(only('wazuh', body(alert)).severity, severity, `level ${level}`)
  }
  for (const level of [-1, 17, 7.5]) {
    const alert = fixtureJson('wazuh-alert.json')
    alert.rule.level = level
    t.equal(only('wazuh', body(alert)).severity, undefined, `level ${level} says nothing`)
  }
})

t.test('asset falls back to agent.ip, title to the rule id; a numeric rule.id is accepted', async (t) => {
  const alert = fixtureJson('wazuh-alert.json')
  alert.agent.name = ' '
  delete alert.rule.description
  alert.rule.id = 5712
  const mapped = only('wazuh', body(alert))
  t.equal(mapped.asset, '10.20.0.13')
  t.equal(mapped.title, 'Wazuh rule 5712')
  t.equal(mapped.rule, '5712')
})

t.test('an alert without agent or a usable timestamp still maps, without asset or time', async (t) => {
  const alert = fixtureJson('wazuh-alert.json')
  delete alert.agent
  alert.timestamp = 'yesterday'
  const mapped = only('wazuh', body(alert))
  t.equal(mapped.asset, undefined)
  t.equal(mapped.occurredAt, undefined)
})

t.test('wrong types and missing fields are refused with the path', async (t) => {
  const cases: [string, (a: any) => void, string][] = [
    ['missing id', (a) => delete a.id, '$.id'],
    ['numeric id', (a) => (a.id = 1718154942.284567), '$.id'],
    ['level as text', (a) => (a.rule.level = 'high'), '$.rule.level'],
    ['missing rule', (a) => delete a.rule, '$.rule'],
    ['agent.name as object', (a) => (a.agent.name = { first: 'web' }), '$.agent.name'],
  ]
  for (const [name, change, path] of cases) {
    const alert = fixtureJson('wazuh-alert.json')
    change(alert)
    t.throws(() => parse('wazuh', body(alert)), { code: 'UnsupportedShape', path }, name)
  }
  const wrapped = fixtureJson('wazuh-shuffle.json')
  delete wrapped.all_fields.rule.id
  t.throws(() => parse('wazuh', body(wrapped)), { code: 'UnsupportedShape', path: '$.all_fields.rule.id' }, 'wrapper paths name all_fields')
})
