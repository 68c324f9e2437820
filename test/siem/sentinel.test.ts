// Microsoft Sentinel incidents via a Logic App: the incident name as id, Closed as resolved.
import t from 'tap'
import { PARSER_VERSION } from '../../src/siem/sentinel.js'
import { body, fixture, fixtureJson, only, parse, sha256 } from './support.js'

const RULE = '/subscriptions/11111111-2222-3333-4444-555555555555/resourceGroups/rg-soc/providers/Microsoft.OperationalInsights/workspaces/law-soc-prod/providers/Microsoft.SecurityInsights/alertRules/5d1c2b3a-4e5f-6a7b-8c9d-0e1f2a3b4c5d'

t.test('a Sentinel incident maps as siem.md says', async (t) => {
  const raw = fixture('sentinel-incident.json')
  t.same(parse('sentinel', raw), {
    format: 'sentinel',
    parserVersion: PARSER_VERSION,
    payloadSha256: sha256(raw),
    alerts: [{
      title: 'Suspicious PowerShell command line on WS-0142',
      severity: 'high',
      source: 'sentinel',
      externalId: '7e6f0c9a-1b2c-4d3e-8f9a-0b1c2d3e4f5a',
      occurredAt: '2024-06-12T01:16:04.511Z',
      asset: 'WS-0142', // the Host entity, not the Account listed before it
      resolved: false,
      rule: RULE,
      link: 'https://portal.azure.com/#asset/Microsoft_Azure_Security_Insights/Incident/subscriptions/11111111-2222-3333-4444-555555555555/resourceGroups/rg-soc/providers/Microsoft.OperationalInsights/workspaces/law-soc-prod/providers/Microsoft.SecurityInsights/Incidents/7e6f0c9a-1b2c-4d3e-8f9a-0b1c2d3e4f5a',
    }],
  })
})

t.test('severities: High, Medium, Low, Informational', async (t) => {
  const table = { High: 'high', Medium: 'medium', Low: 'low', Informational: 'info', Critical: undefined }
  for (const [value, severity] of Object.entries(table)) {
    const payload = fixtureJson('sentinel-incident.json')
    payload.object.properties.severity = value
    t.equal(only('sentinel', body(payload)).severity, severity, value)
  }
})

t.test('an update of the same incident keeps its id; status Closed resolves it', async (t) => {
  const update = fixtureJson('sentinel-incident.json')
  update.objectEventType = 'Update'
  update.object.properties.status = 'Closed'
  update.object.properties.classification = 'TruePositive'
  const alert = only('sentinel', body(update))
  t.equal(alert.externalId, '7e6f0c9a-1b2c-4d3e-8f9a-0b1c2d3e4f5a')
  t.equal(alert.resolved, true)
  update.object.properties.status = 'Active'
  t.equal(only('sentinel', body(update)).resolved, false)
})

t.test('recognised by objectSchemaType or by object.type (any case)', async (t) => {
  const byType = fixtureJson('sentinel-incident.json')
  delete byType.objectSchemaType
  byType.object.type = 'Microsoft.SecurityInsights/incidents'
  t.equal(only('sentinel', body(byType)).externalId, '7e6f0c9a-1b2c-4d3e-8f9a-0b1c2d3e4f5a')
  byType.object.type = 'Microsoft.SecurityInsights/alertRules'
  t.throws(() => parse('sentinel', body(byType)), { code: 'UnsupportedShape', path: '$.objectSchemaType' })
})

t.test('asset: the first Host entity (friendlyName when hostName is missing), or none', async (t) => {
  const payload = fixtureJson('sentinel-incident.json')
  payload.object.properties.relatedEntities[1].properties = { friendlyName: 'ws-0142.example.local' }
  t.equal(only('sentinel', body(payload)).asset, 'ws-0142.example.local')
  payload.object.properties.relatedEntities = [payload.object.properties.relatedEntities[0]]
  t.equal(only('sentinel', body(payload)).asset, undefined)
  delete payload.object.properties.relatedEntities
  t.equal(only('sentinel', body(payload)).asset, undefined)
})

t.test('no title: "Sentinel incident <number>"', async (t) => {
  const payload = fixtureJson('sentinel-incident.json')
  payload.object.properties.title = null
  t.equal(only('sentinel', body(payload)).title, 'Sentinel incident 4127')
})

t.test('wrong types and missing fields are refused with the path', async (t) => {
  const cases: [string, (p: any) => void, string][] = [
    ['missing object', (p) => delete p.object, '$.object'],
    ['missing name', (p) => delete p.object.name, '$.object.name'],
    ['numeric title', (p) => (p.object.properties.title = 42), '$.object.properties.title'],
    ['entities not a list', (p) => (p.object.properties.relatedEntities = 'WS-0142'), '$.object.properties.relatedEntities'],
  ]
  for (const [name, change, path] of cases) {
    const payload = fixtureJson('sentinel-incident.json')
    change(payload)
    t.throws(() => parse('sentinel', body(payload)), { code: 'UnsupportedShape', path }, name)
  }
})
