// The network edge of the dispatcher, without a database: the default send (node:http(s) to the checked
// addresses only, SNI and Host naming the URL's host, no redirects followed, one timeout for the whole
// request, the answer's body never read), the send-time SSRF check over resolved addresses, and error
// descriptions.
import { once } from 'node:events'
import http from 'node:http'
import net, { type AddressInfo } from 'node:net'
import t from 'tap'
import { describeSendError, pinnedSend, resolveTarget, type Lookup, type ResolvedAddress } from '../../src/outbound/send.js'
import { startReceiver } from '../helpers/webhook-receiver.js'

const loopback: ResolvedAddress[] = [{ address: '127.0.0.1', family: 4 }]

t.test('pinnedSend posts the bytes and headers to the given address, and never follows a redirect', async (t) => {
  const receiver = await startReceiver()
  t.teardown(() => receiver.close())
  receiver.answer('/moved', 302)
  const body = Buffer.from('{"type":"incident.reported"}')
  const ok = await pinnedSend({ url: `http://127.0.0.1:${receiver.port}/ok?x=1`, headers: { 'content-type': 'application/json', 'webhook-id': 'd1' }, body, timeoutMs: 5_000, addresses: loopback })
  t.equal(ok.status, 200)
  t.equal(receiver.at('/ok?x=1')[0]?.raw.toString(), body.toString())
  t.equal(receiver.at('/ok?x=1')[0]?.headers['webhook-id'], 'd1')
  t.equal(receiver.at('/ok?x=1')[0]?.headers['content-length'], String(body.length))
  const moved = await pinnedSend({ url: `http://127.0.0.1:${receiver.port}/moved`, headers: {}, body, timeoutMs: 5_000, addresses: loopback })
  t.equal(moved.status, 302, 'the 3xx is the answer (a failed attempt), not followed')
  t.equal(receiver.received.length, 2)
})

t.test('the connection goes to the checked address, never to what the name resolves to; Host stays the name', async (t) => {
  const receiver = await startReceiver()
  t.teardown(() => receiver.close())
  // `.invalid` never resolves (RFC 6761): only the pinned address can have been used.
  const res = await pinnedSend({ url: `http://hook.invalid:${receiver.port}/pinned`, headers: {}, body: Buffer.from('{}'), timeoutMs: 5_000, addresses: loopback })
  t.equal(res.status, 200)
  t.equal(receiver.at('/pinned')[0]?.headers.host, `hook.invalid:${receiver.port}`)
  await t.rejects(pinnedSend({ url: `http://hook.invalid:${receiver.port}/none`, headers: {}, body: Buffer.from('{}'), timeoutMs: 5_000, addresses: [] }),
    /no checked address/, 'no address: no request')
  t.equal(receiver.at('/none').length, 0)
})

t.test('https: SNI names the URL host while the socket goes to the pinned address', async (t) => {
  // A plain TCP listener reads the TLS ClientHello (the server name is in clear) and hangs up.
  let hello = Buffer.alloc(0)
  const server = net.createServer((socket) => {
    socket.on('data', (chunk: Buffer) => {
      hello = Buffer.concat([hello, chunk])
      socket.destroy()
    })
  })
  server.listen(0, '127.0.0.1')
  await once(server, 'listening')
  t.teardown(() => new Promise((resolve) => server.close(resolve)))
  const port = (server.address() as AddressInfo).port
  const err = await pinnedSend({ url: `https://rebind.example.jp:${port}/hook`, headers: {}, body: Buffer.from('{"secret":"body"}'), timeoutMs: 5_000, addresses: loopback })
    .catch((e: unknown) => e)
  t.ok(err instanceof Error, 'the handshake fails (no TLS server): a failed attempt')
  t.ok(hello.includes(Buffer.from('rebind.example.jp')), 'the ClientHello names the URL host (SNI)')
  t.notOk(hello.includes(Buffer.from('"secret"')), 'nothing of the body before the handshake')
})

t.test('one timeout for the whole request; a closed port is refused; the answer body is never read', async (t) => {
  const silent = http.createServer(() => undefined)
  silent.listen(0, '127.0.0.1')
  await once(silent, 'listening')
  t.teardown(() => {
    silent.closeAllConnections()
    silent.close()
  })
  const port = (silent.address() as AddressInfo).port
  const started = performance.now()
  const timedOut = await pinnedSend({ url: `http://127.0.0.1:${port}/`, headers: {}, body: Buffer.from('{}'), timeoutMs: 200, addresses: loopback }).catch((err: unknown) => err)
  t.equal(describeSendError(timedOut, 200), 'no answer within 200 ms')
  t.ok(performance.now() - started < 5_000)

  const closed = http.createServer()
  closed.listen(0, '127.0.0.1')
  await once(closed, 'listening')
  const closedPort = (closed.address() as AddressInfo).port
  await new Promise((resolve) => closed.close(resolve))
  const refused = await pinnedSend({ url: `http://127.0.0.1:${closedPort}/`, headers: {}, body: Buffer.from('{}'), timeoutMs: 2_000, addresses: loopback }).catch((err: unknown) => err)
  t.equal(describeSendError(refused, 2_000), 'request failed: ECONNREFUSED')

  // A receiver answering 200 with an endless body: the status is enough, the connection is dropped.
  let written = 0
  let aborted = false
  const endless = http.createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'application/octet-stream' })
    const chunk = Buffer.alloc(64 * 1024, 120)
    const pump = () => {
      while (!aborted && written < 256 * 1024 * 1024 && res.write(chunk)) written += chunk.length
      if (!aborted) res.once('drain', pump)
    }
    res.on('close', () => {
      aborted = true
    })
    pump()
  })
  endless.listen(0, '127.0.0.1')
  await once(endless, 'listening')
  t.teardown(() => {
    endless.closeAllConnections()
    endless.close()
  })
  const big = await pinnedSend({ url: `http://127.0.0.1:${(endless.address() as AddressInfo).port}/`, headers: {}, body: Buffer.from('{}'), timeoutMs: 2_000, addresses: loopback })
  t.equal(big.status, 200)
  for (let i = 0; i < 100 && !aborted; i++) await new Promise((resolve) => setTimeout(resolve, 10))
  t.ok(aborted, 'the connection was closed without reading the body')
  t.ok(written < 64 * 1024 * 1024, `only what the socket buffers took was written (${written} bytes)`)
})

t.test('resolveTarget: the URL rule, then every resolved address, once', async (t) => {
  const dns = (answers: Record<string, string[]>): Lookup => async (host) => {
    const found = answers[host]
    if (!found) throw Object.assign(new Error('not found'), { code: 'ENOTFOUND' })
    return found.map((address) => ({ address }))
  }
  const lookup = dns({
    'public.example.jp': ['93.184.216.34', '2606:2800:220:1:248:1893:25c8:1946'], 'v6.example.jp': ['2001:db8::1'], 'mapped.example.jp': ['::ffff:10.0.0.1'],
    'empty.example.jp': [], 'teredo.example.jp': ['2001:0:4136:e378:8000:63bf:3fff:fdd2'], 'nat64.example.jp': ['64:ff9b:1::a00:1'],
    'relay.example.jp': ['192.88.99.1'], 'junk.example.jp': ['not-an-address'],
  })
  t.same(await resolveTarget('https://public.example.jp/h', false, lookup), {
    addresses: [{ address: '93.184.216.34', family: 4 }, { address: '2606:2800:220:1:248:1893:25c8:1946', family: 6 }],
  }, 'every address, checked, for the connection to use')
  t.match((await resolveTarget('https://v6.example.jp/h', false, lookup)).refusal, /^UnsafeWebhookUrl: v6\.example\.jp resolves to 2001:db8::1, a documentation address/)
  t.match((await resolveTarget('https://mapped.example.jp/h', false, lookup)).refusal, /resolves to ::ffff:10\.0\.0\.1, a private address/)
  t.match((await resolveTarget('https://teredo.example.jp/h', false, lookup)).refusal, /Teredo/)
  t.match((await resolveTarget('https://nat64.example.jp/h', false, lookup)).refusal, /local-use NAT64/)
  t.match((await resolveTarget('https://relay.example.jp/h', false, lookup)).refusal, /6to4 relay/)
  t.match((await resolveTarget('https://junk.example.jp/h', false, lookup)).refusal, /not an address/)
  t.same(await resolveTarget('https://gone.example.jp/h', false, lookup), { refusal: 'DNS lookup of gone.example.jp failed: ENOTFOUND' })
  t.same(await resolveTarget('https://empty.example.jp/h', false, lookup), { refusal: 'DNS lookup of empty.example.jp found no address' })
  t.match((await resolveTarget('http://public.example.jp/h', false, lookup)).refusal, /^UnsafeWebhookUrl: use an https: URL/)
  t.match((await resolveTarget('https://[fe80::1]/h', false, lookup)).refusal, /link-local/)
  const never: Lookup = () => new Promise(() => undefined)
  t.same(await resolveTarget('https://slow.example.jp/h', false, never, 50), { refusal: 'DNS lookup of slow.example.jp failed: no answer within 50 ms' }, 'a resolver that never answers')
  const notAsked: Lookup = async () => {
    throw new Error('not asked')
  }
  t.same(await resolveTarget('https://8.8.8.8/h', false, notAsked), { addresses: [{ address: '8.8.8.8', family: 4 }] }, 'a public literal: no lookup')
  t.same(await resolveTarget('https://[2001:4860:4860::8888]/h', false, notAsked), { addresses: [{ address: '2001:4860:4860::8888', family: 6 }] })
  t.same(await resolveTarget('http://127.0.0.1:9/h', true, notAsked), { addresses: [{ address: '127.0.0.1', family: 4 }] }, 'insecure allowed: a literal as is')
  t.same(await resolveTarget('http://intranet.example.jp/h', true, dns({ 'intranet.example.jp': ['10.0.0.1'] })), { addresses: [{ address: '10.0.0.1', family: 4 }] },
    'insecure allowed: resolved, not judged, and still pinned')
  let calls = 0
  const rebinding: Lookup = async () => [{ address: calls++ === 0 ? '93.184.216.34' : '127.0.0.1' }]
  t.same(await resolveTarget('https://rebind.example.jp/h', false, rebinding), { addresses: [{ address: '93.184.216.34', family: 4 }] })
  t.equal(calls, 1, 'one resolution per attempt')
})
