// Elastic Security through our published `elastic-v1` webhook template.
import { readFileSync } from 'node:fs'
import t from 'tap'
import { PARSER_VERSION } from '../../src/siem/elastic.js'
import { alerts, body, fixture, fixtureJson, parse, sha256 } from './support.js'

t.test('a rendered elastic-v1 body gives one alert per Kibana alert', async (t) => {
  const raw = fixture('elastic-v1.json')
  t.same(parse('elastic', raw), {
    format: 'elastic',
    parserVersion: PARSER_VERSION,
    payloadSha256: sha256(raw),
    alerts: [
      {
        title: 'Potential Credential Access via LSASS Memory Dump',
        severity: 'high',
        source: 'elastic',
        externalId: '3b6f1a2e9c0d4e7f8a1b2c3d4e5f6a7b8c9d0e1f2a3b4c5d6e7f8a9b0c1d2e3f',
        occurredAt: '2024-06-12T01:22:10.417Z',
        asset: 'WS-0142',
        resolved: false,
        rule: '9960432d-9b26-409f-972b-839a959e79e2',
        link: 'https://kibana.example.go.jp/app/security/alerts/redirect/3b6f1a2e9c0d4e7f?index=.alerts-security.alerts-default&timestamp=2024-06-12T01:22:11.002Z',
      },
      {
        // Variables Kibana did not have rendered as "": no time, no host; the results link stands in.
        title: 'Potential Credential Access via LSASS Memory Dump',
        severity: 'critical',
        source: 'elastic',
        externalId: 'd41d8cd98f00b204e9800998ecf8427e0e4f1b2c3d4e5f60718293a4b5c6d7e8',
        resolved: true,
        rule: '9960432d-9b26-409f-972b-839a959e79e2',
        link: 'https://kibana.example.go.jp/app/security/detections/rules/id/7f4c2a10-28b1-11ef-9e4b-3f1c0d7d2a11',
      },
    ],
  })
})

t.test('kibana.alert.severity: low, medium, high, critical (any case); anything else says nothing', async (t) => {
  const table = { low: 'low', medium: 'medium', high: 'high', critical: 'critical', HIGH: 'high', informational: undefined, '': undefined }
  for (const [value, severity] of Object.entries(table)) {
    const payload = fixtureJson('elastic-v1.json')
    payload.alerts[0]['kibana.alert.severity'] = value
    t.equal(alerts('elastic', body(payload))[0]?.severity, severity, JSON.stringify(value))
  }
})

t.test('per-alert fields fall back to the rule-level ones', async (t) => {
  const payload = fixtureJson('elastic-v1.json')
  payload.alerts[0].rule = { name: '', rule_id: '' }
  payload.alerts[0].url = '/app/security/alerts/redirect/3b6f' // relative: not a link
  payload.results_link = ''
  const [a] = alerts('elastic', body(payload))
  t.equal(a?.title, 'Potential Credential Access via LSASS Memory Dump')
  t.equal(a?.rule, '7f4c2a10-28b1-11ef-9e4b-3f1c0d7d2a11')
  t.equal(a?.link, 'https://kibana.example.go.jp/app/security/rules/id/7f4c2a10-28b1-11ef-9e4b-3f1c0d7d2a11', 'then the rule URL')
  delete payload.rule
  const [b] = alerts('elastic', body(payload))
  t.equal(b?.title, 'Elastic alert 3b6f1a2e9c0d4e7f8a1b2c3d4e5f6a7b8c9d0e1f2a3b4c5d6e7f8a9b0c1d2e3f')
  t.equal(b?.rule, undefined)
  t.equal(b?.link, undefined)
})

t.test('only workflow status "closed" resolves', async (t) => {
  for (const [status, resolved] of [['closed', true], ['Closed', true], ['acknowledged', false], ['open', false], ['', false]] as const) {
    const payload = fixtureJson('elastic-v1.json')
    payload.alerts[0]['kibana.alert.workflow_status'] = status
    t.equal(alerts('elastic', body(payload))[0]?.resolved, resolved, status)
  }
})

t.test('shapes that are not the template are refused, with the path', async (t) => {
  const cases: [string, (p: any) => void, string][] = [
    ['another schema', (p) => (p.schema = 'elastic-v2'), '$.schema'],
    ['no schema', (p) => delete p.schema, '$.schema'],
    ['missing uuid', (p) => delete p.alerts[1].uuid, '$.alerts[1].uuid'],
    ['empty uuid (variable missing)', (p) => (p.alerts[0].uuid = ''), '$.alerts[0].uuid'],
    ['severity as number', (p) => (p.alerts[0]['kibana.alert.severity'] = 73), '$.alerts[0]["kibana.alert.severity"]'],
    ['alerts missing', (p) => delete p.alerts, '$.alerts'],
  ]
  for (const [name, change, path] of cases) {
    const payload = fixtureJson('elastic-v1.json')
    change(payload)
    t.throws(() => parse('elastic', body(payload)), { code: 'UnsupportedShape', path }, name)
  }
})

t.test('the README publishes the template the parser documents', async (t) => {
  const readme = readFileSync(new URL('../../src/siem/README.md', import.meta.url), 'utf8')
  const source = readFileSync(new URL('../../src/siem/elastic.ts', import.meta.url), 'utf8')
  const fromSource = /```\n([\s\S]*?) \* ```/.exec(source)?.[1]?.replace(/^ \* ?/gm, '')
  const fromReadme = /## The Elastic template[\s\S]*?```\n([\s\S]*?)```/.exec(readme)?.[1]
  t.ok(fromSource?.includes('"schema": "elastic-v1"'), 'the doc comment has the template')
  t.equal(fromReadme, fromSource, 'README and doc comment agree')
})

/** Just enough of Kibana's rendering for our template: one section, JSON-escaped variables, ParseHjson's comma. */
function renderTemplate(template: string, vars: Record<string, string>, alertVars: Record<string, string>[]): string {
  const fill = (text: string, scope: Record<string, string>) =>
    text.replace(/\{\{([\w.]+)\}\}/g, (_, name: string) => JSON.stringify(scope[name] ?? '').slice(1, -1))
  return template
    .replace(/\{\{[#/]ParseHjson\}\}\n/g, '')
    .replace(/\{\{#context\.alerts\}\}\n([\s\S]*?)\s*\{\{\/context\.alerts\}\}/, (_, item: string) => alertVars.map((a) => fill(item, { ...vars, ...a })).join('\n'))
    .replace(/\{\{([\w.]+)\}\}/g, (m) => fill(m, vars))
    .replace(/,(\s*[\]}])/g, '$1')
}

t.test('the published template, rendered by Kibana, is what the parser reads', async (t) => {
  const readme = readFileSync(new URL('../../src/siem/README.md', import.meta.url), 'utf8')
  const template = /## The Elastic template[\s\S]*?```\n([\s\S]*?)```/.exec(readme)?.[1] ?? ''
  const rendered = renderTemplate(template, {
    'rule.id': 'r-1', 'rule.name': 'Rule "one"', 'rule.url': '', 'context.results_link': 'https://kibana.example/app/security/rules/id/r-1',
  }, [
    { 'kibana.alert.uuid': 'u-1', 'kibana.alert.rule.name': 'Rule "one"', 'kibana.alert.rule.rule_id': 'rid-1', 'kibana.alert.severity': 'medium',
      'kibana.alert.workflow_status': 'open', 'kibana.alert.original_time': '2024-06-12T01:00:00.000Z', 'host.name': 'ws-1' },
    { 'kibana.alert.uuid': 'u-2', 'kibana.alert.severity': 'low' },
  ])
  const [a, b] = alerts('elastic', Buffer.from(rendered))
  t.same(a, {
    title: 'Rule "one"', severity: 'medium', source: 'elastic', externalId: 'u-1', occurredAt: '2024-06-12T01:00:00.000Z',
    asset: 'ws-1', resolved: false, rule: 'rid-1', link: 'https://kibana.example/app/security/rules/id/r-1',
  })
  t.equal(b?.externalId, 'u-2')
  t.equal(b?.title, 'Rule "one"', 'the rule-level name when the alert has none')
})
