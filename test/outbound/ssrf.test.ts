// SSRF protection with insecure URLs OFF (the default): internal literal addresses, http: and credentials
// are refused when subscribing (UnsafeWebhookUrl, nothing stored); a name is resolved at send time and
// refused when any address it resolves to is internal (localhost really, the others through an injected
// resolver), and the refusal is logged on the delivery. Public names are sent (through an injected send).
import t from 'tap'
import { dnsLookupAll, type SendRequest } from '../../src/outbound/send.js'
import { startTestApp } from '../helpers/app.js'
import { startReceiver, until } from '../helpers/webhook-receiver.js'

const fakeDns: Record<string, string[]> = {
  'intranet.example.jp': ['10.1.2.3'],
  'mixed.example.jp': ['93.184.216.34', '192.168.1.1'],
  'metadata.example.jp': ['169.254.169.254'],
  'public.example.jp': ['93.184.216.34', '2606:2800:220:1:248:1893:25c8:1946'],
}
const sent: SendRequest[] = []
const h = await startTestApp(t, {
  webhooks: {
    lookup: async (host) => (fakeDns[host] ? fakeDns[host].map((address) => ({ address })) : dnsLookupAll(host)),
    send: async (request) => {
      sent.push(request)
      return { status: 204 }
    },
  },
})
const receiver = await startReceiver()
t.teardown(() => receiver.close())
await h.agency('mof')
const token = await h.token('mof', ['GENERAL_SECURITY_OFFICER'], 'gso')
const auth = { authorization: `Bearer ${token}` }
const subscribe = (url: string) => h.app.inject({ method: 'POST', url: '/api/webhook-subscriptions', headers: auth, payload: { url, eventTypes: ['incident.reported'] } })
const logOf = async (subscriptionId: string) => {
  const res = await h.app.inject({ method: 'GET', url: `/api/webhook-subscriptions/${subscriptionId}/deliveries`, headers: auth })
  return (res.json() as { items: Record<string, any>[] }).items
}

t.test('internal literal addresses, http: and credentials are refused when subscribing', async (t) => {
  for (const url of [`http://127.0.0.1:${receiver.port}/hook`, `https://127.0.0.1:${receiver.port}/hook`, 'https://[::1]/hook', 'https://10.0.0.1/hook',
    'https://169.254.169.254/latest', 'http://public.example.jp/hook', 'https://user:secret@public.example.jp/hook']) {
    const res = await subscribe(url)
    t.equal(res.statusCode, 422, url)
    t.equal(res.json().code, 'UnsafeWebhookUrl', url)
  }
  const { rows } = await h.db.app.pool.query('SELECT count(*)::int AS n FROM webhook_subscription_secrets')
  t.equal(rows[0].n, 0, 'a refused subscription stores no secret')
  t.notOk((await h.store.readAgency('mof', 0, 1000)).some((e) => e.type === 'WebhookSubscriptionCreated'))
})

t.test('a name resolving to loopback (localhost) is refused at send time and logged as such', async (t) => {
  const created = await subscribe(`https://localhost:${receiver.port}/hook`)
  t.equal(created.statusCode, 201, 'a name passes when subscribing')
  const sub = created.json() as { id: string }
  const intranet = (await subscribe('https://intranet.example.jp/hook')).json() as { id: string }
  const mixed = (await subscribe('https://mixed.example.jp/hook')).json() as { id: string }
  const metadata = (await subscribe('https://metadata.example.jp/hook')).json() as { id: string }
  const open = (await subscribe('https://public.example.jp/hook')).json() as { id: string }
  await h.app.inject({ method: 'POST', url: '/api/incidents', headers: auth, payload: { title: 'x', description: 'y', detectedAt: '2026-07-01T09:00:00+09:00' } })
  const [refused] = await until(async () => {
    const items = await logOf(sub.id)
    return items[0]?.attempts === 1 && items
  }, 'the refused attempt')
  t.match(refused, { status: 'PENDING', lastStatusCode: null, lastError: /^UnsafeWebhookUrl: localhost resolves to (127\.0\.0\.1|::1), a loopback address/ })
  t.match(refused?.attemptsLog, [{ statusCode: null, error: /UnsafeWebhookUrl/ }])
  t.ok(refused?.nextAttemptAt, 'retried on the schedule (DNS may change), refused again each time')
  for (const [id, address, kind] of [[intranet.id, '10.1.2.3', 'private'], [mixed.id, '192.168.1.1', 'private'], [metadata.id, '169.254.169.254', 'link-local']] as const) {
    const [d] = await until(async () => {
      const items = await logOf(id)
      return items[0]?.attempts === 1 && items
    }, address)
    t.match(d?.lastError, new RegExp(`resolves to ${address.replaceAll('.', '\\.')}, a ${kind} address`), address)
  }
  const [ok] = await until(async () => {
    const items = await logOf(open.id)
    return items[0]?.status === 'DELIVERED' && items
  }, 'the public receiver')
  t.equal(ok?.lastStatusCode, 204)
  t.same(sent.map((s) => [s.url, s.addresses.map((a) => a.address)]), [['https://public.example.jp/hook', ['93.184.216.34', '2606:2800:220:1:248:1893:25c8:1946']]],
    'only the public name was sent to, pinned to the addresses checked')
  t.equal(receiver.received.length, 0, 'nothing reached the local receiver')
})
