// The registry and format sniffing for a generic endpoint ("Recognise by" in siem.md).
import t from 'tap'
import * as alertmanager from '../../src/siem/alertmanager.js'
import * as cef from '../../src/siem/cef.js'
import * as elastic from '../../src/siem/elastic.js'
import * as grafana from '../../src/siem/grafana.js'
import { parsers, siemFormats, sniffFormat, type SiemFormat } from '../../src/siem/index.js'
import * as ocsf from '../../src/siem/ocsf.js'
import * as sentinel from '../../src/siem/sentinel.js'
import * as splunk from '../../src/siem/splunk.js'
import * as wazuh from '../../src/siem/wazuh.js'
import { body, fixture, fixtureJson, RECEIVED_AT, text } from './support.js'

const sniff = (raw: Buffer) => sniffFormat(raw, {})

t.test('every format has a parser, registered with its own module\'s parse and version', async (t) => {
  const modules = { wazuh, alertmanager, grafana, elastic, splunk, sentinel, ocsf, cef }
  t.same(Object.keys(parsers).sort(), [...siemFormats].sort())
  for (const format of siemFormats) {
    t.equal(parsers[format].parse, modules[format].parse, `${format}: parse`)
    t.equal(parsers[format].version, modules[format].PARSER_VERSION, `${format}: version`)
  }
})

const fixtures: [string, SiemFormat][] = [
  ['wazuh-alert.json', 'wazuh'], ['wazuh-shuffle.json', 'wazuh'], ['alertmanager-v4.json', 'alertmanager'], ['grafana-11.json', 'grafana'],
  ['grafana-legacy.json', 'grafana'], ['elastic-v1.json', 'elastic'], ['splunk.json', 'splunk'], ['sentinel-incident.json', 'sentinel'],
  ['ocsf-detection-finding.json', 'ocsf'], ['ocsf-findings.json', 'ocsf'], ['cef-paloalto-3164.txt', 'cef'], ['cef-mixed.txt', 'cef'],
  ['cef-escapes.txt', 'cef'],
]

t.test('every realistic payload is recognised as its format, and that parser accepts it', async (t) => {
  for (const [file, format] of fixtures) {
    const raw = fixture(file)
    t.equal(sniff(raw), format, file)
    if (file !== 'grafana-legacy.json') t.equal(parsers[format].parse(raw, {}, RECEIVED_AT).format, format, `${file} parses`)
  }
})

t.test('the recognition rules are as narrow as siem.md says', async (t) => {
  const change = (file: string, edit: (p: any) => void) => {
    const payload = fixtureJson(file)
    edit(payload)
    return sniff(body(payload))
  }
  t.equal(change('wazuh-alert.json', (p) => (p.id = 'abc')), undefined, 'Wazuh needs an id like 1688540918.2845670')
  t.equal(change('wazuh-alert.json', (p) => (p.rule.level = '10')), undefined, 'Wazuh needs a numeric rule.level')
  t.equal(change('wazuh-alert.json', (p) => { delete p.agent; delete p.manager }), undefined, 'Wazuh needs agent or manager')
  t.equal(change('wazuh-alert.json', (p) => delete p.agent), 'wazuh', 'manager alone is enough')
  t.equal(change('alertmanager-v4.json', (p) => delete p.groupKey), undefined, 'Alertmanager needs groupKey')
  t.equal(change('alertmanager-v4.json', (p) => (p.version = '3')), undefined, 'Alertmanager needs version 4')
  t.equal(change('alertmanager-v4.json', (p) => (p.orgId = 1)), 'grafana', 'a numeric orgId makes it Grafana')
  t.equal(change('alertmanager-v4.json', (p) => (p.orgId = '1')), undefined, 'a textual orgId makes it neither')
  t.equal(change('elastic-v1.json', (p) => (p.schema = 'elastic-v0')), undefined)
  t.equal(change('splunk.json', (p) => delete p.results_link), undefined, 'Splunk needs results_link')
  t.equal(change('splunk.json', (p) => (p.sid = 7)), undefined, 'Splunk needs a string sid')
  t.equal(change('sentinel-incident.json', (p) => delete p.objectSchemaType), 'sentinel', 'object.type is enough')
  t.equal(change('sentinel-incident.json', (p) => { delete p.objectSchemaType; p.object.type = 'x' }), undefined)
  t.equal(change('ocsf-detection-finding.json', (p) => (p.class_uid = 2001)), undefined, 'only Detection Finding')
  t.equal(change('ocsf-detection-finding.json', (p) => delete p.finding_info.uid), undefined, 'OCSF needs finding_info.uid')
})

t.test('what is not recognised, and what cannot be read', async (t) => {
  t.equal(sniff(text('{"hello":"world"}')), undefined)
  t.equal(sniff(text('[{"hello":"world"}]')), undefined)
  t.equal(sniff(text('[]')), undefined)
  t.equal(sniff(text('42')), undefined)
  t.equal(sniff(text('hello CEF:0|a|b|c|d|e|5|')), undefined, 'CEF behind something that is not a syslog header')
  t.equal(sniff(text('')), undefined)
  t.throws(() => sniff(Buffer.from([0x7b, 0xff, 0x7d])), { code: 'UnreadablePayload' })
  t.throws(() => sniff(text('{"sid": ')), { code: 'UnreadablePayload' })
  t.throws(() => sniff(text(`${'['.repeat(10_000)}${']'.repeat(10_000)}`)), { code: 'UnsupportedShape' })
  t.equal(sniff(text(`\n  ${JSON.stringify(fixtureJson('splunk.json'))}`)), 'splunk', 'leading whitespace')
})
