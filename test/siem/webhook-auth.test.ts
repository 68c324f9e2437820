// Every auth mode a SIEM sender can use (shared/siem.md): valid deliveries pass, and each way of being
// wrong is refused with its reason; rotation (several live secrets) and the 300 s window.
import { createHmac } from 'node:crypto'
import t from 'tap'
import { constantTimeEqual, standardWebhookSignature, verifyDelivery, type Delivery } from '../../src/siem/webhook-auth.js'

const body = Buffer.from('{"test": 2432232314}')
const delivery = (headers: Record<string, string>, over: Partial<Delivery> = {}): Delivery => ({ raw: body, headers, nowMs: 1614265330_000, ...over })

t.test('standard-webhooks: the published test vector, rotation, tolerance, tampering', async (t) => {
  // The example of the Standard Webhooks / Svix documentation.
  const secret = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw'
  const headers = { 'webhook-id': 'msg_p5jXN8AQM9LWM0D4loKWxJek', 'webhook-timestamp': '1614265330', 'webhook-signature': 'v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=' }
  t.equal(standardWebhookSignature(secret, headers['webhook-id'], 1614265330, body), headers['webhook-signature'], 'our signer agrees with the spec')
  t.same(verifyDelivery('standard-webhooks', [secret], delivery(headers)), { ok: true, secretIndex: 0 })
  t.same(verifyDelivery('standard-webhooks', ['whsec_b2xkb2xkb2xkb2xk', secret], delivery(headers)), { ok: true, secretIndex: 1 }, 'the second live secret (rotation)')
  t.same(verifyDelivery('standard-webhooks', [secret], delivery({ ...headers, 'webhook-signature': `v1,AAAA v1,${headers['webhook-signature'].slice(3)}` })), { ok: true, secretIndex: 0 }, 'one of several signatures')
  t.same(verifyDelivery('standard-webhooks', [secret], delivery(headers, { raw: Buffer.from('{"test": 2432232315}') })), { ok: false, reason: 'BadSignature' }, 'a changed body')
  t.same(verifyDelivery('standard-webhooks', [secret], delivery({ ...headers, 'webhook-id': 'msg_other' })), { ok: false, reason: 'BadSignature' }, 'another id')
  t.same(verifyDelivery('standard-webhooks', ['whsec_b2xkb2xkb2xkb2xk'], delivery(headers)), { ok: false, reason: 'BadSignature' }, 'a revoked secret')
  t.same(verifyDelivery('standard-webhooks', [secret], delivery(headers, { nowMs: (1614265330 + 301) * 1000 })), { ok: false, reason: 'StaleSignature' }, 'more than 300 s late')
  t.same(verifyDelivery('standard-webhooks', [secret], delivery(headers, { nowMs: (1614265330 - 301) * 1000 })), { ok: false, reason: 'StaleSignature' }, 'more than 300 s early')
  t.same(verifyDelivery('standard-webhooks', [secret], delivery(headers, { nowMs: (1614265330 + 300) * 1000 })), { ok: true, secretIndex: 0 }, 'exactly 300 s is still in')
  t.same(verifyDelivery('standard-webhooks', [secret], delivery({ 'webhook-id': 'x' })), { ok: false, reason: 'MissingCredentials' })
  t.same(verifyDelivery('standard-webhooks', [secret], delivery({ ...headers, 'webhook-timestamp': 'yesterday' })), { ok: false, reason: 'MalformedCredentials' })
  t.same(verifyDelivery('standard-webhooks', [secret], delivery({ ...headers, 'webhook-signature': 'v2,abc' })), { ok: false, reason: 'MalformedCredentials' })
})

t.test('grafana-hmac: hex HMAC of the body, or of timestamp:body with a timestamp header', async (t) => {
  const secret = 'grafana-shared-secret'
  const plain = createHmac('sha256', secret).update(body).digest('hex')
  t.same(verifyDelivery('grafana-hmac', [secret], delivery({ 'x-grafana-alerting-signature': plain })), { ok: true, secretIndex: 0 })
  t.same(verifyDelivery('grafana-hmac', [secret], delivery({ 'x-grafana-alerting-signature': plain.toUpperCase() })), { ok: true, secretIndex: 0 }, 'hex in either case')
  const stamped = createHmac('sha256', secret).update(`1614265330:${body.toString()}`).digest('hex')
  t.same(verifyDelivery('grafana-hmac', [secret], delivery({ 'x-grafana-alerting-signature': stamped, 'x-grafana-alerting-signature-timestamp': '1614265330' })), { ok: true, secretIndex: 0 })
  t.same(verifyDelivery('grafana-hmac', [secret], delivery({ 'x-grafana-alerting-signature': plain, 'x-grafana-alerting-signature-timestamp': '1614265330' })), { ok: false, reason: 'BadSignature' }, 'with a timestamp, the timestamp is signed too')
  t.same(verifyDelivery('grafana-hmac', [secret], delivery({ 'x-grafana-alerting-signature': stamped, 'x-grafana-alerting-signature-timestamp': '1614265330' }, { nowMs: 1614266000_000 })), { ok: false, reason: 'StaleSignature' })
  t.same(verifyDelivery('grafana-hmac', ['other'], delivery({ 'x-grafana-alerting-signature': plain })), { ok: false, reason: 'BadSignature' })
  t.same(verifyDelivery('grafana-hmac', [secret], delivery({ 'x-grafana-alerting-signature': 'zz' })), { ok: false, reason: 'MalformedCredentials' })
  t.same(verifyDelivery('grafana-hmac', [secret], delivery({})), { ok: false, reason: 'MissingCredentials' })
})

t.test('bearer, basic and url-token compare the secret itself', async (t) => {
  const token = 'siem-token-7f3a'
  t.same(verifyDelivery('bearer', ['old', token], delivery({ authorization: `Bearer ${token}` })), { ok: true, secretIndex: 1 })
  t.same(verifyDelivery('bearer', [token], delivery({ authorization: 'Bearer siem-token-7f3b' })), { ok: false, reason: 'BadCredentials' })
  t.same(verifyDelivery('bearer', [token], delivery({ authorization: `Basic ${token}` })), { ok: false, reason: 'MalformedCredentials' })
  t.same(verifyDelivery('bearer', [token], delivery({})), { ok: false, reason: 'MissingCredentials' })
  const pair = 'alertmanager:s3cret:with:colons'
  const basicHeader = `Basic ${Buffer.from(pair).toString('base64')}`
  t.same(verifyDelivery('basic', [pair], delivery({ authorization: basicHeader })), { ok: true, secretIndex: 0 })
  t.same(verifyDelivery('basic', ['alertmanager:other'], delivery({ authorization: basicHeader })), { ok: false, reason: 'BadCredentials' })
  t.same(verifyDelivery('basic', [pair], delivery({ authorization: `Basic ${Buffer.from('nocolon').toString('base64')}` })), { ok: false, reason: 'MalformedCredentials' })
  t.same(verifyDelivery('url-token', [token], delivery({}, { urlToken: token })), { ok: true, secretIndex: 0 })
  t.same(verifyDelivery('url-token', [token], delivery({}, { urlToken: `${token}x` })), { ok: false, reason: 'BadCredentials' })
  t.same(verifyDelivery('url-token', [token], delivery({})), { ok: false, reason: 'MissingCredentials' })
  t.same(verifyDelivery('bearer', [], delivery({ authorization: `Bearer ${token}` })), { ok: false, reason: 'BadCredentials' }, 'an integration with no live secret lets nothing in')
})

t.test('constantTimeEqual is exact whatever the lengths', async (t) => {
  t.ok(constantTimeEqual('abc', 'abc'))
  t.notOk(constantTimeEqual('abc', 'abd'))
  t.notOk(constantTimeEqual('abc', 'abcd'))
  t.notOk(constantTimeEqual('', 'a'))
  t.ok(constantTimeEqual(Buffer.from('x'), 'x'))
})
