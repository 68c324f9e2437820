// The network edge of the dispatcher, without a database: the default fetch-based send (no redirects
// followed, a timeout), the send-time SSRF check over resolved addresses, and error descriptions.
import { once } from 'node:events'
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import t from 'tap'
import { describeSendError, fetchSend, refusalOf } from '../../src/outbound/send.js'
import { startReceiver } from '../helpers/webhook-receiver.js'

t.test('fetchSend posts the bytes and headers, and never follows a redirect', async (t) => {
  const receiver = await startReceiver()
  t.teardown(() => receiver.close())
  receiver.answer('/moved', 302)
  const body = Buffer.from('{"type":"incident.reported"}')
  const ok = await fetchSend({ url: `http://127.0.0.1:${receiver.port}/ok`, headers: { 'content-type': 'application/json', 'webhook-id': 'd1' }, body, timeoutMs: 5_000 })
  t.equal(ok.status, 200)
  t.same(receiver.at('/ok')[0]?.raw, body)
  t.equal(receiver.at('/ok')[0]?.headers['webhook-id'], 'd1')
  const moved = await fetchSend({ url: `http://127.0.0.1:${receiver.port}/moved`, headers: {}, body, timeoutMs: 5_000 })
  t.equal(moved.status, 302, 'the 3xx is the answer (a failed attempt), not followed')
  t.equal(receiver.received.length, 2)
})

t.test('a receiver that does not answer times out; a closed port is refused', async (t) => {
  const silent = http.createServer(() => undefined)
  silent.listen(0, '127.0.0.1')
  await once(silent, 'listening')
  t.teardown(() => {
    silent.closeAllConnections()
    silent.close()
  })
  const port = (silent.address() as AddressInfo).port
  const timedOut = await fetchSend({ url: `http://127.0.0.1:${port}/`, headers: {}, body: Buffer.from('{}'), timeoutMs: 200 }).catch((err: unknown) => err)
  t.equal(describeSendError(timedOut, 200), 'no answer within 200 ms')
  const closed = http.createServer()
  closed.listen(0, '127.0.0.1')
  await once(closed, 'listening')
  const closedPort = (closed.address() as AddressInfo).port
  await new Promise((resolve) => closed.close(resolve))
  const refused = await fetchSend({ url: `http://127.0.0.1:${closedPort}/`, headers: {}, body: Buffer.from('{}'), timeoutMs: 2_000 }).catch((err: unknown) => err)
  t.equal(describeSendError(refused, 2_000), 'request failed: ECONNREFUSED')
})

t.test('refusalOf: the URL rule, then every resolved address', async (t) => {
  const dns = (answers: Record<string, string[]>) => async (host: string) => {
    const found = answers[host]
    if (!found) throw Object.assign(new Error('not found'), { code: 'ENOTFOUND' })
    return found.map((address) => ({ address }))
  }
  const lookup = dns({ 'public.example.jp': ['93.184.216.34'], 'v6.example.jp': ['2001:db8::1'], 'mapped.example.jp': ['::ffff:10.0.0.1'], 'empty.example.jp': [] })
  t.equal(await refusalOf('https://public.example.jp/h', false, lookup), undefined)
  t.match(await refusalOf('https://v6.example.jp/h', false, lookup), /^UnsafeWebhookUrl: v6\.example\.jp resolves to 2001:db8::1, a documentation address/)
  t.match(await refusalOf('https://mapped.example.jp/h', false, lookup), /resolves to ::ffff:10\.0\.0\.1, a private address/)
  t.equal(await refusalOf('https://gone.example.jp/h', false, lookup), 'DNS lookup of gone.example.jp failed: ENOTFOUND')
  t.equal(await refusalOf('https://empty.example.jp/h', false, lookup), 'DNS lookup of empty.example.jp found no address')
  t.match(await refusalOf('http://public.example.jp/h', false, lookup), /^UnsafeWebhookUrl: use an https: URL/)
  t.match(await refusalOf('https://[fe80::1]/h', false, lookup), /link-local/)
  t.equal(await refusalOf('http://127.0.0.1:9/h', true, async () => { throw new Error('not asked') }), undefined, 'insecure allowed: no lookup')
  t.equal(await refusalOf('https://8.8.8.8/h', false, async () => { throw new Error('not asked') }), undefined, 'a public literal: no lookup')
})
