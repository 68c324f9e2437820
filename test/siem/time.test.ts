// The time readers every parser shares: ISO variants, epoch milliseconds, the 1900–9999 window.
import t from 'tap'
import { instantFromCivil, instantFromIso, instantFromMs, offsetMinutes } from '../../src/siem/time.js'

t.test('ISO 8601 / RFC 3339 and the variants senders write', async (t) => {
  const cases: [string, string | undefined][] = [
    ['2024-06-12T01:15:42Z', '2024-06-12T01:15:42.000Z'],
    ['2024-06-12T01:15:42.123456789Z', '2024-06-12T01:15:42.123Z'], // Alertmanager: nanoseconds, cut to ms
    ['2024-06-12T10:15:42.381+0900', '2024-06-12T01:15:42.381Z'], // Wazuh: offset without colon
    ['2024-06-12T10:15:42+09:00', '2024-06-12T01:15:42.000Z'],
    ['2024-06-11T21:15:42-04', '2024-06-12T01:15:42.000Z'],
    ['2024-06-12 01:15:42', '2024-06-12T01:15:42.000Z'], // no offset: UTC
    ['2024-06-12T01:15Z', '2024-06-12T01:15:00.000Z'],
    ['2024-06-12t01:15:42,5z', '2024-06-12T01:15:42.500Z'],
    ['2016-12-31T23:59:60Z', '2016-12-31T23:59:59.000Z'], // a leap second, held at :59
    ['  2024-06-12T01:15:42Z  ', '2024-06-12T01:15:42.000Z'],
    ['2024-02-29T00:00:00Z', '2024-02-29T00:00:00.000Z'],
    ['2023-02-29T00:00:00Z', undefined],
    ['2024-13-01T00:00:00Z', undefined],
    ['2024-06-12T24:00:00Z', undefined],
    ['2024-06-12T01:60:00Z', undefined],
    ['2024-06-12T01:15:42+19:00', undefined],
    ['2024-06-12', undefined],
    ['12/06/2024 01:15:42', undefined],
    ['1718155500', undefined],
    ['', undefined],
  ]
  for (const [value, expected] of cases) t.equal(instantFromIso(value), expected, JSON.stringify(value))
  t.equal(instantFromIso(null), undefined)
  t.equal(instantFromIso(undefined), undefined)
})

t.test('epoch milliseconds within 1900–9999 only', async (t) => {
  t.equal(instantFromMs(1718155500123), '2024-06-12T01:25:00.123Z')
  t.equal(instantFromMs(1718155500123.9), '2024-06-12T01:25:00.123Z', 'sub-millisecond part dropped')
  t.equal(instantFromMs(0), '1970-01-01T00:00:00.000Z')
  t.equal(instantFromMs(Date.UTC(1900, 0, 1)), '1900-01-01T00:00:00.000Z')
  t.equal(instantFromMs(Date.UTC(1900, 0, 1) - 1), undefined)
  t.equal(instantFromMs(Date.UTC(10000, 0, 1) - 1), '9999-12-31T23:59:59.999Z')
  t.equal(instantFromMs(Date.UTC(10000, 0, 1)), undefined)
  t.equal(instantFromMs(Number.NaN), undefined)
  t.equal(instantFromMs(Number.POSITIVE_INFINITY), undefined)
})

t.test('an offset that moves the instant out of the window makes it unknown', async (t) => {
  const base = { month: 1, day: 1, hour: 0, minute: 0, second: 0 }
  t.equal(instantFromCivil({ ...base, year: 1900, offsetMinutes: 60 }), undefined, '1900-01-01T00:00+01:00 is 1899 in UTC')
  t.equal(instantFromCivil({ ...base, year: 1900, offsetMinutes: -60 }), '1900-01-01T01:00:00.000Z')
  t.equal(instantFromCivil({ ...base, year: 1899, month: 12, day: 31, hour: 23, offsetMinutes: -120 }), undefined, 'years before 1900 are never read')
})

t.test('offsets', async (t) => {
  const cases: [string, number | undefined][] = [['Z', 0], ['+09:00', 540], ['+0900', 540], ['-05', -300], ['-03:30', -210], ['+24:00', undefined], ['+09:75', undefined], ['JST', undefined]]
  for (const [zone, minutes] of cases) t.equal(offsetMinutes(zone), minutes, zone)
})
