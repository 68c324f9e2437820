// Splunk's built-in webhook: the id from sid + a hash of the result row, the result's time or receipt time.
import t from 'tap'
import { PARSER_VERSION } from '../../src/siem/splunk.js'
import { body, fixture, fixtureJson, only, parse, RECEIVED_AT, sha256 } from './support.js'

const SID = 'scheduler__admin__search__RMD5b8a9e3e5f1a3c9d2_at_1718155500_1337'

t.test('a Splunk webhook maps as siem.md says', async (t) => {
  const raw = fixture('splunk.json')
  const result = parse('splunk', raw)
  t.equal(result.format, 'splunk')
  t.equal(result.parserVersion, PARSER_VERSION)
  t.equal(result.payloadSha256, sha256(raw))
  const [alert] = result.alerts
  t.match(alert?.externalId, new RegExp(`^${SID}/[0-9a-f]{64}$`))
  t.same(alert, {
    title: 'Excessive failed logons on a domain controller',
    severity: 'high',
    source: 'splunk',
    externalId: alert?.externalId,
    occurredAt: '2024-06-12T01:25:00.000Z', // _time 1718155500.000
    asset: 'dc01.example.go.jp',
    resolved: false,
    rule: 'Excessive failed logons on a domain controller',
    link: `https://splunk.example.go.jp:8000/app/search/@go?sid=${SID}`,
  })
})

t.test('externalId = sid + "/" + sha256 of the result as canonical JSON (sorted keys)', async (t) => {
  const payload = { sid: 'rt_md_1', results_link: 'https://s/x', search_name: 's', result: { z: '1', a: ['x', 'y'], m: { b: 2, a: null } } }
  const canonical = '{"a":["x","y"],"m":{"a":null,"b":2},"z":"1"}'
  t.equal(only('splunk', body(payload)).externalId, `rt_md_1/${sha256(canonical)}`)
  const reordered = { ...payload, result: { m: { a: null, b: 2 }, a: ['x', 'y'], z: '1' } }
  t.equal(only('splunk', body(reordered)).externalId, `rt_md_1/${sha256(canonical)}`, 'key order does not matter')
  const changed = { ...payload, result: { ...payload.result, z: '2' } }
  t.not(only('splunk', body(changed)).externalId, `rt_md_1/${sha256(canonical)}`, 'another result row is another alert')
})

t.test('occurredAt: result._time as epoch seconds or ISO, else the receipt time', async (t) => {
  const cases: [unknown, string][] = [
    ['1718155500.250', '2024-06-12T01:25:00.250Z'],
    [1718155500, '2024-06-12T01:25:00.000Z'],
    ['2024-06-12T10:25:00.000+09:00', '2024-06-12T01:25:00.000Z'],
    [['1718155500', '1718155999'], '2024-06-12T01:25:00.000Z'],
    ['not a time', RECEIVED_AT],
    ['99999999999999', RECEIVED_AT], // year 3170000-something: out of range
  ]
  for (const [time, expected] of cases) {
    const payload = fixtureJson('splunk.json')
    payload.result._time = time
    t.equal(only('splunk', body(payload)).occurredAt, expected, JSON.stringify(time))
  }
  const payload = fixtureJson('splunk.json')
  delete payload.result._time
  t.equal(only('splunk', body(payload), '2024-06-12T10:31:00+09:00').occurredAt, '2024-06-12T01:31:00.000Z', 'no _time: receipt time')
})

t.test('severity from result.severity when the search adds it; multivalue fields count by their first value', async (t) => {
  const table = { informational: 'info', info: 'info', low: 'low', medium: 'medium', high: 'high', critical: 'critical', Critical: 'critical', urgent: undefined }
  for (const [value, severity] of Object.entries(table)) {
    const payload = fixtureJson('splunk.json')
    payload.result.severity = value
    t.equal(only('splunk', body(payload)).severity, severity, value)
  }
  const payload = fixtureJson('splunk.json')
  payload.result.severity = ['critical', 'low']
  payload.result.host = ['dc02', 'dc01']
  const alert = only('splunk', body(payload))
  t.equal(alert.severity, 'critical')
  t.equal(alert.asset, 'dc02')
  delete payload.result.severity
  t.equal(only('splunk', body(payload)).severity, undefined, 'none: the integration default applies later')
})

t.test('no search_name: "Splunk alert <sid>"', async (t) => {
  const payload = fixtureJson('splunk.json')
  delete payload.search_name
  const alert = only('splunk', body(payload))
  t.equal(alert.title, `Splunk alert ${SID}`)
  t.equal(alert.rule, undefined)
})

t.test('wrong types and missing fields are refused with the path', async (t) => {
  const cases: [string, (p: any) => void, string][] = [
    ['numeric sid', (p) => (p.sid = 1337), '$.sid'],
    ['missing sid', (p) => delete p.sid, '$.sid'],
    ['missing result', (p) => delete p.result, '$.result'],
    ['result as text', (p) => (p.result = 'count=27'), '$.result'],
    ['host as number', (p) => (p.result.host = 10), '$.result.host'],
  ]
  for (const [name, change, path] of cases) {
    const payload = fixtureJson('splunk.json')
    change(payload)
    t.throws(() => parse('splunk', body(payload)), { code: 'UnsupportedShape', path }, name)
  }
})
