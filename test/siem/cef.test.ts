// CEF text: syslog headers (RFC 3164 / 5424) or none, header and extension escapes, severity,
// the fallback id hash, and `rt` in its many forms.
import t from 'tap'
import { parseCefLine, parseExtension } from '../../src/siem/cef-syntax.js'
import { cefSeverity, cefTime, PARSER_VERSION } from '../../src/siem/cef.js'
import { alerts, fixture, only, parse, RECEIVED_AT, sha256, text } from './support.js'

const line = (extension: string, header = 'CEF:0|Acme|Sensor|1.0|42|Port scan|5|') => text(header + extension)

t.test('Palo Alto THREAT log behind an RFC 3164 header', async (t) => {
  const raw = fixture('cef-paloalto-3164.txt')
  t.same(parse('cef', raw), {
    format: 'cef',
    parserVersion: PARSER_VERSION,
    payloadSha256: sha256(raw),
    alerts: [{
      title: 'THREAT', // PAN-OS writes the log type as the CEF Name
      severity: 'high', // 8
      source: 'cef',
      externalId: '7224567891234567', // its externalId extension
      occurredAt: '2024-06-12T01:15:42.000Z', // rt=Jun 12 2024 01:15:42 GMT
      asset: '198.51.100.77', // no dhost: dst
      resolved: false,
      rule: 'Palo Alto Networks|PAN-OS|spyware',
    }],
  })
})

t.test('an RFC 5424 line and a line without syslog header in one delivery', async (t) => {
  t.same(alerts('cef', fixture('cef-mixed.txt')), [
    {
      title: 'Eicar_test_file',
      severity: 'medium',
      source: 'cef',
      externalId: sha256('Trend Micro|Deep Security Agent|4000000|1718155205120||'),
      occurredAt: '2024-06-12T01:20:05.120Z', // rt in epoch ms
      asset: 'ws-0311.example.local', // dhost
      resolved: false,
      rule: 'Trend Micro|Deep Security Agent|4000000',
    },
    {
      title: 'Illegal Resource Access',
      severity: 'low',
      source: 'cef',
      externalId: sha256('Incapsula|SIEMintegration|1|Jun 12 2024 01:21:00.000 UTC|192.0.2.88|203.0.113.200'),
      occurredAt: '2024-06-12T01:21:00.000Z',
      asset: '203.0.113.200',
      resolved: false,
      rule: 'Incapsula|SIEMintegration|1',
    },
  ])
})

t.test('the escapes of the CEF specification', async (t) => {
  const [pipe, backslash, equals] = alerts('cef', fixture('cef-escapes.txt'))
  t.equal(pipe?.title, 'detected a | in message')
  t.equal(backslash?.title, 'detected a \\ in packet')
  t.equal(equals?.title, 'detected an = in message')
  t.equal(equals?.severity, 'critical', 'Very-High')
  const lines = fixture('cef-escapes.txt').toString('utf8').split('\n')
  t.equal(parseCefLine(lines[0] ?? '', 'line 1').extension.get('act'), 'blocked a |', 'an unescaped pipe in the extension is text')
  t.equal(parseCefLine(lines[1] ?? '', 'line 2').extension.get('act'), 'blocked a \\')
  const third = parseCefLine(lines[2] ?? '', 'line 3').extension
  t.equal(third.get('act'), 'blocked a =')
  t.equal(third.get('dst'), '1.1.1.1', 'an escaped = does not start a key')
  t.equal(third.get('msg'), 'Detected a threat.\n No action needed.\r')
})

t.test('header fields: escaped pipes and backslashes, other backslashes kept', async (t) => {
  const record = parseCefLine('CEF:1|Acme\\|Labs|Guard\\\\Pro|2.0|sig\\|7|Login from C:\\temp|3|src=10.0.0.1', 'line 1')
  t.same(
    [record.version, record.vendor, record.product, record.deviceVersion, record.signatureId, record.name, record.severity],
    ['1', 'Acme|Labs', 'Guard\\Pro', '2.0', 'sig|7', 'Login from C:\\temp', '3'],
  )
  t.equal(record.extension.get('src'), '10.0.0.1')
})

t.test('extension values keep spaces and run to the next key', async (t) => {
  const x = parseExtension('suser=Taro Yamada msg=a\\=b c\\\\d requestClientApplication=Mozilla/5.0 (X11) empty= cs1Label=Rule cs1=allow all')
  t.same(Object.fromEntries(x), {
    suser: 'Taro Yamada', msg: 'a=b c\\d', requestClientApplication: 'Mozilla/5.0 (X11)', empty: '', cs1Label: 'Rule', cs1: 'allow all',
  })
})

t.test('severity: 0–3 low, 4–6 medium, 7–8 high, 9–10 critical; the words; others say nothing', async (t) => {
  const table: [string, string | undefined][] = [
    ['0', 'low'], ['3', 'low'], ['4', 'medium'], ['6', 'medium'], ['7', 'high'], ['8', 'high'], ['9', 'critical'], ['10', 'critical'],
    ['11', undefined], ['-1', undefined], ['5.5', undefined], ['Low', 'low'], ['Medium', 'medium'], ['High', 'high'], ['Very-High', 'critical'],
    ['very-high', 'critical'], ['Unknown', undefined], ['', undefined],
  ]
  for (const [value, severity] of table) t.equal(cefSeverity(value), severity, JSON.stringify(value))
  t.equal(only('cef', line('src=1.2.3.4', 'CEF:0|Acme|Sensor|1.0|42|Port scan|9|')).severity, 'critical', 'through the parser')
})

t.test('externalId: the extension, else a hash of vendor|product|signature|rt|src|dst', async (t) => {
  t.equal(only('cef', line('externalId=evt-991 src=10.0.0.1')).externalId, 'evt-991')
  const hashed = only('cef', line('rt=1718155205120 src=10.0.0.1 dst=10.0.0.2')).externalId
  t.equal(hashed, sha256('Acme|Sensor|42|1718155205120|10.0.0.1|10.0.0.2'))
  t.not(only('cef', line('rt=1718155205121 src=10.0.0.1 dst=10.0.0.2')).externalId, hashed, 'another rt, another alert')
  t.equal(only('cef', line('externalId= rt=1718155205120 src=10.0.0.1 dst=10.0.0.2')).externalId, hashed, 'an empty externalId is absent')
  const a = only('cef', text('CEF:0|a\\|b|c|1|x|n|5|')).externalId
  const b = only('cef', text('CEF:0|a|b\\|c|1|x|n|5|')).externalId
  t.not(a, b, 'a pipe inside a field cannot shift it into the next one')
})

t.test('rt: epoch milliseconds, the CEF date forms, ISO 8601; unusable ones are ignored', async (t) => {
  const cases: [string, string | undefined][] = [
    ['1718155205120', '2024-06-12T01:20:05.120Z'],
    ['Jun 12 2024 01:20:05', '2024-06-12T01:20:05.000Z'],
    ['Jun 12 2024 01:20:05.120', '2024-06-12T01:20:05.120Z'],
    ['Jun 12 2024 10:20:05 JST', '2024-06-12T01:20:05.000Z'],
    ['Jun 12 2024 10:20:05.5 +09:00', '2024-06-12T01:20:05.500Z'],
    ['Jun 11 2024 21:20:05 EDT', '2024-06-12T01:20:05.000Z'],
    ['jun 2 2024 01:20:05 utc', '2024-06-02T01:20:05.000Z'],
    ['2024-06-12T10:20:05+09:00', '2024-06-12T01:20:05.000Z'],
    ['Jun 12 01:20:05', '2024-06-12T01:20:05.000Z'], // no year: the year of receipt
    ['Feb 30 2024 01:20:05', undefined],
    ['Jun 12 2024 01:20:05 Mars/Olympus', undefined],
    ['Jux 12 2024 01:20:05', undefined],
    ['yesterday', undefined],
    ['99999999999999999', undefined],
  ]
  for (const [rt, expected] of cases) t.equal(cefTime(rt, RECEIVED_AT), expected, rt)
  t.equal(cefTime('Dec 31 23:59:00', '2025-01-01T00:05:00Z'), '2024-12-31T23:59:00.000Z', 'no year across new year: last year')
  t.equal(cefTime('Jan 01 00:01:00', '2024-12-31T23:59:00Z'), '2025-01-01T00:01:00.000Z', 'a minute ahead of receipt: this year')
  t.equal(only('cef', line('rt=Jun 12 2024 01:20:05 GMT src=1.2.3.4')).occurredAt, '2024-06-12T01:20:05.000Z', 'through the parser')
})

t.test('syslog headers that are recognised', async (t) => {
  const record = 'CEF:0|Acme|Sensor|1.0|42|Port scan|5|externalId=e1'
  const prefixes = [
    '',
    '<134>',
    '<134>Jun 12 10:15:42 fw01 ',
    'Jun  2 10:15:42 fw01 ',
    '<134>Jun 12 10:15:42 fw01 sensord[4242]: ',
    '<134>Jun 12 2024 10:15:42 fw01 ',
    '<134>2024-06-12T10:15:42+09:00 fw01 ',
    '<134>1 2024-06-12T01:15:42.003Z fw01.example.go.jp sensord 4242 - - ',
    '<134>1 2024-06-12T01:15:42Z fw01 sensord - ID47 [exampleSDID@32473 iut="3" eventSource="App"][meta seq="1"] ',
    '<134>1 - - - - - - ',
  ]
  for (const prefix of prefixes) t.equal(only('cef', text(prefix + record)).externalId, 'e1', JSON.stringify(prefix))
})

t.test('lines that are refused, naming the line', async (t) => {
  const good = 'CEF:0|Acme|Sensor|1.0|42|Port scan|5|src=1.2.3.4'
  const cases: [string, string][] = [
    [`${good}\nhello world CEF:0|Acme|Sensor|1.0|42|Port scan|5|`, 'line 2'], // not a syslog header
    [`${good}\n\n{"rule":{"level":3}}`, 'line 3'],
    ['CEF:0|Acme|Sensor|1.0|42|Port scan', 'line 1'], // too few header fields
    ['CEF:x|Acme|Sensor|1.0|42|Port scan|5|', 'line 1'],
    [`<134>1 2024-06-12T01:15:42Z fw01 ${good}`, 'line 1'], // a 5424 header cut short
    [`${'x'.repeat(600)} ${good}`, 'line 1'],
  ]
  for (const [payload, path] of cases) t.throws(() => parse('cef', text(payload)), { code: 'UnsupportedShape', path }, path)
  t.throws(() => parse('cef', text(' \n\r\n')), { code: 'UnsupportedShape' }, 'no record at all')
})

t.test('one alert per line; CRLF and blank lines are fine; more than 1000 lines are refused', async (t) => {
  const record = (i: number) => `<134>Jun 12 10:15:42 fw01 CEF:0|Acme|Sensor|1.0|42|Port scan|5|externalId=e${i}`
  t.same(alerts('cef', text(`${record(1)}\r\n\r\n${record(2)}\r\n`)).map((a) => a.externalId), ['e1', 'e2'])
  const thousand = Array.from({ length: 1000 }, (_, i) => record(i)).join('\n')
  t.equal(alerts('cef', text(thousand)).length, 1000)
  t.throws(() => parse('cef', text(`${thousand}\n${record(1000)}`)), { code: 'UnsupportedShape' })
})

t.test('a __proto__ key in the extension is data; NULs are removed', async (t) => {
  const alert = only('cef', line('__proto__=polluted constructor=x dhost=ws\u0000-01 externalId=e\u00001'))
  t.equal(alert.asset, 'ws-01')
  t.equal(alert.externalId, 'e1')
  t.equal(({} as Record<string, unknown>).polluted, undefined)
  t.equal(parseExtension('__proto__=polluted').get('__proto__'), 'polluted')
})
