// Malformed and hostile deliveries against every parser: bad bytes, deep nesting, huge strings,
// prototype keys, NULs, too many alerts, wrong top-level types.
import t from 'tap'
import { MAX_ALERTS, MAX_JSON_DEPTH } from '../../src/siem/payload.js'
import type { SiemFormat } from '../../src/siem/index.js'
import { alerts, body, fixture, fixtureJson, jsonFormats, only, parse, text } from './support.js'

/** A realistic delivery per JSON format, and where its (first) alert's title comes from. */
const samples: Record<(typeof jsonFormats)[number], { file: string; setTitle: (p: any, title: unknown) => void }> = {
  wazuh: { file: 'wazuh-alert.json', setTitle: (p, v) => (p.rule.description = v) },
  alertmanager: { file: 'alertmanager-v4.json', setTitle: (p, v) => (p.alerts[0].annotations.summary = v) },
  grafana: { file: 'grafana-11.json', setTitle: (p, v) => (p.alerts[0].annotations.summary = v) },
  elastic: { file: 'elastic-v1.json', setTitle: (p, v) => (p.alerts[0].rule.name = v) },
  splunk: { file: 'splunk.json', setTitle: (p, v) => (p.search_name = v) },
  sentinel: { file: 'sentinel-incident.json', setTitle: (p, v) => (p.object.properties.title = v) },
  ocsf: { file: 'ocsf-detection-finding.json', setTitle: (p, v) => (p.finding_info.title = v) },
}
const withTitle = (format: (typeof jsonFormats)[number], title: unknown) => {
  const payload = fixtureJson(samples[format].file)
  samples[format].setTitle(payload, title)
  return payload
}
const allFormats: SiemFormat[] = [...jsonFormats, 'cef']
const cefLine = 'CEF:0|Acme|Sensor|1.0|42|TITLE|5|externalId=e1 dhost=ws-01'

t.test('bytes that are not UTF-8 are unreadable, for every format', async (t) => {
  const bad = [Buffer.from([0xff]), Buffer.from([0xc0, 0xaf]), Buffer.from([0xe3, 0x81]), Buffer.from([0xed, 0xa0, 0x80])]
  for (const format of allFormats) {
    const [before, after] = format === 'cef' ? cefLine.split('TITLE') : JSON.stringify(withTitle(format, 'TITLE')).split('TITLE')
    for (const bytes of bad) {
      const raw = Buffer.concat([Buffer.from(before ?? ''), bytes, Buffer.from(after ?? '')])
      t.throws(() => parse(format, raw), { code: 'UnreadablePayload' }, `${format}: ${bytes.toString('hex')}`)
    }
  }
})

t.test('the error says where the bad bytes are', async (t) => {
  const raw = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), text('{"title":"é\uFFFD'), Buffer.from([0xe3, 0x81, 0x22, 0x7d])])
  // BOM (3) + {"title":" (10) + é (2) + a real U+FFFD (3) = 18 bytes before the truncated sequence
  t.throws(() => parse('wazuh', raw), { code: 'UnreadablePayload', message: /offset 18\)/ })
})

t.test('text that is not JSON is unreadable for the JSON formats', async (t) => {
  for (const format of jsonFormats) {
    for (const payload of ['', '   ', '{"rule":', '<alert/>', "{'a': 1}", cefLine]) {
      t.throws(() => parse(format, text(payload)), { code: 'UnreadablePayload' }, `${format}: ${JSON.stringify(payload.slice(0, 12))}`)
    }
  }
})

t.test('10,000 levels of nesting are refused before parsing, anywhere in the body', async (t) => {
  const deepObject = `${'{"a":'.repeat(10_000)}1${'}'.repeat(10_000)}`
  const deepArray = `${'['.repeat(10_000)}${']'.repeat(10_000)}`
  for (const format of jsonFormats) {
    t.throws(() => parse(format, text(deepObject)), { code: 'UnsupportedShape', message: /deeper than 64/ }, `${format}: objects`)
    t.throws(() => parse(format, text(deepArray)), { code: 'UnsupportedShape', message: /deeper than 64/ }, `${format}: arrays`)
    const inside = JSON.stringify(withTitle(format, 'x')).replace(/^\{/, `{"extra":${deepArray},`)
    t.throws(() => parse(format, text(inside)), { code: 'UnsupportedShape', message: /deeper than 64/ }, `${format}: in an unknown field`)
  }
})

t.test('the depth limit is exactly 64, and brackets inside strings do not count', async (t) => {
  const nest = (levels: number) => `${'{"a":'.repeat(levels)}1${'}'.repeat(levels)}`
  const alert = (dataLevels: number) => JSON.stringify(fixtureJson('wazuh-alert.json')).replace(/^\{/, `{"data2":${nest(dataLevels)},`)
  t.equal(only('wazuh', text(alert(MAX_JSON_DEPTH - 1))).externalId, '1718154942.2845670', '64 levels in all')
  t.throws(() => parse('wazuh', text(alert(MAX_JSON_DEPTH))), { code: 'UnsupportedShape' }, '65 levels')
  const brackets = `${'[{'.repeat(5000)}"\\"[`
  t.equal(only('wazuh', body(withTitle('wazuh', brackets))).title.slice(0, 6), '[{[{[{')
})

t.test('huge strings are cut, not refused', async (t) => {
  const huge = 'A'.repeat(900_000)
  for (const format of jsonFormats) {
    const title = alerts(format, body(withTitle(format, huge)))[0]?.title ?? ''
    t.equal(title.length, 500, `${format}: title cut to 500`)
    t.ok(title.endsWith('…'), `${format}: and marked as cut`)
  }
  const alert = fixtureJson('wazuh-alert.json')
  alert.agent.name = 'h'.repeat(300_000)
  t.equal(only('wazuh', body(alert)).asset?.length, 200, 'asset cut to 200')
  const emoji = only('wazuh', body(withTitle('wazuh', '😀'.repeat(1000)))).title
  const loneSurrogate = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/
  t.ok(emoji.length <= 500 && emoji.startsWith('😀'), 'cut emoji title')
  t.notOk(loneSurrogate.test(emoji), 'no half of a surrogate pair is left')
})

t.test('long external ids stay distinct: a head, then the hash of the whole', async (t) => {
  const prefix = 'x'.repeat(99_999)
  const ids = ['1', '2'].map((end) => {
    const alert = fixtureJson('wazuh-alert.json')
    alert.id = prefix + end
    return only('wazuh', body(alert)).externalId
  })
  for (const id of ids) {
    t.equal(id.length, 500)
    t.match(id, /^x{435}~[0-9a-f]{64}$/)
  }
  t.not(ids[0], ids[1])
  const alert = fixtureJson('wazuh-alert.json')
  alert.id = 'y'.repeat(500)
  t.equal(only('wazuh', body(alert)).externalId, 'y'.repeat(500), '500 characters are kept as they are')
})

t.test('links longer than 2048 characters, or not http(s), are dropped', async (t) => {
  const links: [string, boolean][] = [
    [`https://prometheus.example/graph?g0.expr=${'a'.repeat(2000)}`, true],
    [`https://prometheus.example/graph?g0.expr=${'a'.repeat(2048)}`, false],
    ['javascript:alert(document.cookie)', false],
    ['data:text/html,<script>alert(1)</script>', false],
    ['/graph?g0.expr=up', false],
    ['HTTP://PROMETHEUS.EXAMPLE:9090/graph', true],
  ]
  for (const [link, kept] of links) {
    const payload = fixtureJson('alertmanager-v4.json')
    payload.alerts[0].generatorURL = link
    const got = alerts('alertmanager', body(payload))[0]?.link
    t.equal(got !== undefined, kept, link.slice(0, 40))
  }
})

t.test('__proto__ keys are data: no pollution, no borrowed fields', async (t) => {
  for (const format of jsonFormats) {
    const clean = JSON.stringify(withTitle(format, 'T'))
    const hostile = clean.replace(/^\{/, '{"__proto__":{"polluted":"yes","version":"4","schema":"elastic-v1"},').replace(/"labels":\{/g, '"labels":{"__proto__":{"severity":"critical"},')
    const list = alerts(format, text(hostile))
    t.same(list, alerts(format, text(clean)), `${format}: same alerts as without`)
    t.ok(list.every((a) => Object.getPrototypeOf(a) === Object.prototype), `${format}: plain objects`)
  }
  t.equal(({} as Record<string, unknown>).polluted, undefined, 'Object.prototype untouched')
  const hidden = fixtureJson('alertmanager-v4.json')
  const wrapped = `{"__proto__":${JSON.stringify(hidden)}}`
  t.throws(() => parse('alertmanager', text(wrapped)), { code: 'UnsupportedShape', path: '$.version' }, 'fields under __proto__ are not the payload\'s')
  const splunk = fixtureJson('splunk.json')
  const withKey = JSON.stringify(splunk).replace('"result":{', '"result":{"__proto__":{"x":"1"},')
  t.not(only('splunk', text(withKey)).externalId, only('splunk', body(splunk)).externalId, 'a __proto__ key in result is part of its hash')
})

t.test('NUL characters are removed, escaped or raw; other control characters become spaces', async (t) => {
  t.equal(only('wazuh', body(withTitle('wazuh', 'ssh\u0000d: brute\tforce\nattempt'))).title, 'sshd: brute force attempt')
  const raw = JSON.stringify(withTitle('wazuh', 'sshdX')).replace('sshdX', 'ssh\u0000d')
  t.equal(only('wazuh', Buffer.concat([text(raw), Buffer.from([0])])).title, 'sshd', 'raw NUL bytes, even after the JSON')
  const blankId = fixtureJson('wazuh-alert.json')
  blankId.id = '\u0000\u0001'
  t.throws(() => parse('wazuh', body(blankId)), { code: 'UnsupportedShape', path: '$.id' }, 'an id of control characters is blank')
})

t.test('a UTF-8 byte order mark is accepted', async (t) => {
  const bom = Buffer.from([0xef, 0xbb, 0xbf])
  t.equal(only('wazuh', Buffer.concat([bom, fixture('wazuh-alert.json')])).externalId, '1718154942.2845670')
  t.equal(only('cef', Buffer.concat([bom, text(cefLine)])).externalId, 'e1')
})

t.test(`at most ${MAX_ALERTS} alerts per delivery`, async (t) => {
  const many = (file: string, n: number) => {
    const payload = fixtureJson(file)
    payload.alerts = Array.from({ length: n }, (_, i) => ({ ...payload.alerts[0], fingerprint: `f${i}`, uuid: `u${i}` }))
    return body(payload)
  }
  for (const [format, file] of [['alertmanager', 'alertmanager-v4.json'], ['grafana', 'grafana-11.json'], ['elastic', 'elastic-v1.json']] as const) {
    t.equal(alerts(format, many(file, MAX_ALERTS)).length, MAX_ALERTS, `${format}: ${MAX_ALERTS} pass`)
    t.throws(() => parse(format, many(file, MAX_ALERTS + 1)), { code: 'UnsupportedShape', path: '$.alerts' }, `${format}: one more is refused`)
  }
  const finding = fixtureJson('ocsf-detection-finding.json')
  t.equal(alerts('ocsf', body(Array.from({ length: MAX_ALERTS }, () => finding))).length, MAX_ALERTS)
  t.throws(() => parse('ocsf', body(Array.from({ length: MAX_ALERTS + 1 }, () => finding))), { code: 'UnsupportedShape', path: '$' })
})

t.test('a body of the wrong JSON type is an unsupported shape at $', async (t) => {
  for (const format of jsonFormats) {
    for (const value of ['"alert"', '42', 'null', 'true', ...(format === 'ocsf' ? [] : ['[]', '[{}]'])]) {
      t.throws(() => parse(format, text(value)), { code: 'UnsupportedShape', path: '$' }, `${format}: ${value}`)
    }
  }
  t.throws(() => parse('ocsf', text('[1]')), { code: 'UnsupportedShape', path: '$[0]' })
})

t.test('times outside the years 1900–9999 are ignored the same way in every format', async (t) => {
  const cases: [string, string | undefined][] = [
    ['1899-12-31T23:59:59.999Z', undefined],
    ['1900-01-01T00:00:00Z', '1900-01-01T00:00:00.000Z'],
    ['9999-12-31T23:59:59.999Z', '9999-12-31T23:59:59.999Z'],
    ['0001-01-01T00:00:00Z', undefined],
    ['+010000-01-01T00:00:00Z', undefined],
  ]
  const setters: [SiemFormat, string, (p: any, v: string) => void][] = [
    ['wazuh', 'wazuh-alert.json', (p, v) => (p.timestamp = v)],
    ['alertmanager', 'alertmanager-v4.json', (p, v) => (p.alerts[0].startsAt = v)],
    ['elastic', 'elastic-v1.json', (p, v) => (p.alerts[0].original_time = v)],
    ['sentinel', 'sentinel-incident.json', (p, v) => (p.object.properties.createdTimeUtc = v)],
  ]
  for (const [format, file, set] of setters) {
    for (const [time, expected] of cases) {
      const payload = fixtureJson(file)
      set(payload, time)
      t.equal(alerts(format, body(payload))[0]?.occurredAt, expected, `${format}: ${time}`)
    }
  }
})
