// OCSF Detection Findings: one or many, severity_id, status_id 4 = resolved, epoch-millisecond times.
import t from 'tap'
import { PARSER_VERSION } from '../../src/siem/ocsf.js'
import { alerts, body, fixture, fixtureJson, only, parse, sha256 } from './support.js'

t.test('one Detection Finding maps as siem.md says', async (t) => {
  const raw = fixture('ocsf-detection-finding.json')
  t.same(parse('ocsf', raw), {
    format: 'ocsf',
    parserVersion: PARSER_VERSION,
    payloadSha256: sha256(raw),
    alerts: [{
      title: 'Trojan:Win32/AgentTesla detected',
      severity: 'high',
      source: 'ocsf',
      externalId: 'ldt:7f3e9a1c2b4d4e5f8a6b:4295123456',
      occurredAt: '2024-06-12T01:29:50.000Z', // first_seen_time, not time
      asset: 'WS-0207', // resources[0].name before device.hostname
      resolved: false,
      rule: 'cs-ml-41',
      link: 'https://falcon.example.com/activity-v2/detections/ldt:7f3e9a1c2b4d4e5f8a6b:4295123456',
    }],
  })
})

t.test('an array of findings gives one alert each', async (t) => {
  t.same(alerts('ocsf', fixture('ocsf-findings.json')), [
    {
      title: 'EC2 instance i-0abc1234 is communicating with a known command and control server.',
      severity: 'critical',
      source: 'ocsf',
      externalId: 'arn:aws:guardduty:ap-northeast-1:123456789012:detector/12abc34d567e8fa901bc2d34e56789f0/finding/c2c6a1f0e1b2',
      occurredAt: '2024-06-12T02:40:00.000Z', // no first_seen_time: time
      asset: 'i-0abc1234',
      resolved: true, // status_id 4
      rule: 'Backdoor:EC2/C&CActivity.B', // analytic without uid: its name
    },
    {
      title: 'OCSF finding arn:aws:guardduty:ap-northeast-1:123456789012:detector/12abc34d567e8fa901bc2d34e56789f0/finding/d9e8f7a6b5c4',
      severity: undefined, // 99 Other
      source: 'ocsf',
      externalId: 'arn:aws:guardduty:ap-northeast-1:123456789012:detector/12abc34d567e8fa901bc2d34e56789f0/finding/d9e8f7a6b5c4',
      occurredAt: '2024-06-12T02:41:00.000Z',
      asset: 'ip-10-0-3-12.ap-northeast-1.compute.internal', // device.hostname
      resolved: false,
    },
  ])
  t.same(alerts('ocsf', body([])), [], 'an empty array is zero alerts')
})

t.test('severity_id: 1 info, 2 low, 3 medium, 4 high, 5–6 critical; 0 and 99 say nothing', async (t) => {
  const table: [number, string | undefined][] = [[0, undefined], [1, 'info'], [2, 'low'], [3, 'medium'], [4, 'high'], [5, 'critical'], [6, 'critical'], [7, undefined], [99, undefined]]
  for (const [id, severity] of table) {
    const finding = fixtureJson('ocsf-detection-finding.json')
    finding.severity_id = id
    t.equal(only('ocsf', body(finding)).severity, severity, `severity_id ${id}`)
  }
})

t.test('only status_id 4 resolves', async (t) => {
  for (const [id, resolved] of [[1, false], [2, false], [3, false], [4, true], [5, false], [99, false]] as const) {
    const finding = fixtureJson('ocsf-detection-finding.json')
    finding.status_id = id
    t.equal(only('ocsf', body(finding)).resolved, resolved, `status_id ${id}`)
  }
})

t.test('times are epoch milliseconds; out-of-range ones are ignored', async (t) => {
  const finding = fixtureJson('ocsf-detection-finding.json')
  finding.finding_info.first_seen_time = 1e15 // year 33658
  delete finding.time
  t.equal(only('ocsf', body(finding)).occurredAt, undefined)
  finding.finding_info.first_seen_time = -2208988800001 // one ms before 1900
  t.equal(only('ocsf', body(finding)).occurredAt, undefined)
  finding.finding_info.first_seen_time = -2208988800000
  t.equal(only('ocsf', body(finding)).occurredAt, '1900-01-01T00:00:00.000Z')
})

t.test('wrong class, types and missing fields are refused with the path', async (t) => {
  const cases: [string, (f: any) => void, string][] = [
    ['Security Finding (2001)', (f) => (f.class_uid = 2001), '$.class_uid'],
    ['class as text', (f) => (f.class_uid = '2004'), '$.class_uid'],
    ['missing finding_info.uid', (f) => delete f.finding_info.uid, '$.finding_info.uid'],
    ['time as ISO text', (f) => (f.time = '2024-06-12T01:30:00Z'), '$.time'],
    ['severity_id as text', (f) => (f.severity_id = 'High'), '$.severity_id'],
    ['resources[0].name as number', (f) => (f.resources[0].name = 7), '$.resources[0].name'],
  ]
  for (const [name, change, path] of cases) {
    const finding = fixtureJson('ocsf-detection-finding.json')
    change(finding)
    t.throws(() => parse('ocsf', body(finding)), { code: 'UnsupportedShape', path }, name)
  }
  const many = fixtureJson('ocsf-findings.json')
  delete many[1].finding_info
  t.throws(() => parse('ocsf', body(many)), { code: 'UnsupportedShape', path: '$[1].finding_info' }, 'in an array, the path names the element')
})
