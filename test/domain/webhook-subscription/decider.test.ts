// The webhook subscription aggregate: create (URL rule, event catalogue), rotate (several live secrets, at
// most five), retire (never the last), disable for good, retry a FAILED delivery only; events never hold a secret.
import t from 'tap'
import {
  maxLiveWebhookSecrets, maxLiveWebhookSubscriptions, webhookSubscriptionDecider, type CreateWebhookSubscription, type WebhookSubscriptionCommand, type WebhookSubscriptionEvent,
} from '../../../src/domain/webhook-subscription/index.js'
import { given } from '../../helpers/given.js'

const metadata = { actor: { id: 'csirt', roles: ['CSIRT_HEAD' as const] }, agencyId: 'mof', now: '2026-07-01T00:00:00.000Z', correlationId: 'c', source: 'api' }
const id = 'mof.6f1c2f0e-0000-4000-8000-000000000001'
const s1 = '00000000-0000-4000-8000-000000000001'
const s2 = '00000000-0000-4000-8000-000000000002'
const delivery = '00000000-0000-8000-8000-0000000000d1'
const cmd = <C extends WebhookSubscriptionCommand>(type: C['type'], data: C['data']) => ({ type, data, metadata }) as unknown as C
const createWith = (data: Partial<CreateWebhookSubscription['data']> = {}) => cmd<CreateWebhookSubscription>('CreateWebhookSubscription', {
  subscriptionId: id, secretId: s1, url: 'https://soc.example.jp/hooks/cs', eventTypes: ['incident.reported', 'incident.closed'], allowInsecureUrls: false, liveSubscriptions: 0, ...data,
})
const [created] = given(webhookSubscriptionDecider).when(createWith()) as [WebhookSubscriptionEvent]
const added: WebhookSubscriptionEvent = { type: 'WebhookSubscriptionSecretAdded', data: { subscriptionId: id, secretId: s2, addedBy: 'csirt', at: metadata.now } }
const [disabled] = given(webhookSubscriptionDecider, created).when(cmd('DisableWebhookSubscription', { subscriptionId: id, reason: 'receiver retired' })) as [WebhookSubscriptionEvent]
const code = (fn: () => unknown) => {
  try {
    fn()
    return undefined
  } catch (err) {
    return (err as { code?: string }).code
  }
}

t.test('create records the subscription, never the policy flag or a secret', async (t) => {
  t.same(created, {
    type: 'WebhookSubscriptionCreated',
    data: { subscriptionId: id, url: 'https://soc.example.jp/hooks/cs', eventTypes: ['incident.reported', 'incident.closed'], description: undefined, secretId: s1, createdBy: 'csirt', at: metadata.now },
  })
  t.same(given(webhookSubscriptionDecider, created).state(), { exists: true, disabled: false, liveSecretIds: [s1] })
  t.equal(code(() => given(webhookSubscriptionDecider, created).when(createWith())), 'WebhookSubscriptionExists')
})

t.test('at most 20 live subscriptions per agency (a fact from the log)', async (t) => {
  t.equal(maxLiveWebhookSubscriptions, 20)
  t.equal(given(webhookSubscriptionDecider).when(createWith({ liveSubscriptions: 19 })).length, 1, 'the 20th is created')
  t.equal(code(() => given(webhookSubscriptionDecider).when(createWith({ liveSubscriptions: 20 }))), 'TooManyWebhookSubscriptions', 'the 21st is refused')
})

t.test('the URL rule: https, no credentials, at most 2000 characters, no internal literal address', async (t) => {
  const refused = (url: string, allowInsecureUrls = false) => code(() => given(webhookSubscriptionDecider).when(createWith({ url, allowInsecureUrls })))
  for (const url of [
    'http://soc.example.jp/hook', 'ftp://soc.example.jp/hook', '/relative/path', 'not a url', 'https://user:pw@soc.example.jp/hook', 'https://token@soc.example.jp/',
    `https://soc.example.jp/${'a'.repeat(2000)}`,
    'https://127.0.0.1/hook', 'https://127.1.2.3:8443/hook', 'https://2130706433/hook', 'https://0x7f.0.0.1/', 'https://10.1.2.3/', 'https://172.16.0.1/', 'https://172.31.255.255/',
    'https://192.168.1.10/', 'https://169.254.169.254/latest/meta-data', 'https://0.0.0.0/', 'https://100.64.0.1/', 'https://224.0.0.1/', 'https://255.255.255.255/',
    'https://[::1]/', 'https://[::]/', 'https://[fe80::1]/', 'https://[fd00::1]/', 'https://[fc00::abcd]/', 'https://[::ffff:127.0.0.1]/', 'https://[::ffff:10.0.0.1]/',
    'https://[64:ff9b::a9fe:a9fe]/', 'https://[2002:7f00:1::]/', 'https://[ff02::1]/',
  ]) t.equal(refused(url), 'UnsafeWebhookUrl', url)
  for (const url of ['https://soc.example.jp/hook', 'https://8.8.8.8/x', 'https://172.32.0.1/', 'https://[2001:4860:4860::8888]/', 'https://localhost:8443/hook', 'https://soc.example.jp:8443/a?b=c']) {
    t.equal(refused(url), undefined, `${url} passes (names are checked at send time)`)
  }
  t.equal(refused('http://127.0.0.1:8080/hook', true), undefined, 'insecure URLs allowed by configuration')
  t.equal(refused('http://user:pw@127.0.0.1/', true), 'UnsafeWebhookUrl', 'credentials never')
  t.equal(refused('ftp://127.0.0.1/', true), 'UnsafeWebhookUrl', 'http or https only')
})

t.test('event types come from the catalogue, each once', async (t) => {
  t.equal(code(() => given(webhookSubscriptionDecider).when(createWith({ eventTypes: ['incident.reported', 'incident.deleted'] }))), 'UnknownWebhookEventType')
  t.equal(code(() => given(webhookSubscriptionDecider).when(createWith({ eventTypes: ['IncidentReported'] }))), 'UnknownWebhookEventType', 'stored names are not public names')
  t.equal(code(() => given(webhookSubscriptionDecider).when(createWith({ eventTypes: ['toString'] }))), 'UnknownWebhookEventType', 'no prototype names')
  t.equal(code(() => given(webhookSubscriptionDecider).when(createWith({ eventTypes: ['incident.closed', 'incident.closed'] }))), 'DuplicateWebhookEventType')
})

t.test('rotate and retire secrets', async (t) => {
  t.same(given(webhookSubscriptionDecider, created).when(cmd('RotateWebhookSubscriptionSecret', { subscriptionId: id, secretId: s2 })), [added])
  t.same(given(webhookSubscriptionDecider, created, added).state().liveSecretIds, [s1, s2], 'both sign until one is retired')
  const retire = cmd('RetireWebhookSubscriptionSecret', { subscriptionId: id, secretId: s1 })
  const [retired] = given(webhookSubscriptionDecider, created, added).when(retire) as [WebhookSubscriptionEvent]
  t.same(retired, { type: 'WebhookSubscriptionSecretRetired', data: { subscriptionId: id, secretId: s1, retiredBy: 'csirt', at: metadata.now } })
  t.same(given(webhookSubscriptionDecider, created, added, retired).state().liveSecretIds, [s2])
  t.equal(code(() => given(webhookSubscriptionDecider, created).when(retire)), 'LastWebhookSecret')
  t.equal(code(() => given(webhookSubscriptionDecider, created, added, retired).when(retire)), 'WebhookSecretNotFound', 'a retired secret is not live')
  const many = Array.from({ length: maxLiveWebhookSecrets - 1 }, (_, i): WebhookSubscriptionEvent => ({ ...added, data: { ...added.data, secretId: `s${i}` } } as WebhookSubscriptionEvent))
  t.equal(code(() => given(webhookSubscriptionDecider, created, ...many).when(cmd('RotateWebhookSubscriptionSecret', { subscriptionId: id, secretId: 'x' }))), 'TooManyWebhookSecrets')
  t.equal(code(() => given(webhookSubscriptionDecider).when(cmd('RotateWebhookSubscriptionSecret', { subscriptionId: id, secretId: s2 }))), 'WebhookSubscriptionNotFound')
  t.equal(code(() => given(webhookSubscriptionDecider).when(retire)), 'WebhookSubscriptionNotFound')
})

t.test('disable for good', async (t) => {
  t.same(disabled, { type: 'WebhookSubscriptionDisabled', data: { subscriptionId: id, disabledBy: 'csirt', reason: 'receiver retired', at: metadata.now } })
  t.same(given(webhookSubscriptionDecider, created, disabled).state(), { exists: true, disabled: true, liveSecretIds: [] })
  for (const c of [
    cmd('DisableWebhookSubscription', { subscriptionId: id }), cmd('RotateWebhookSubscriptionSecret', { subscriptionId: id, secretId: s2 }),
    cmd('RetireWebhookSubscriptionSecret', { subscriptionId: id, secretId: s1 }), cmd('RetryWebhookDelivery', { subscriptionId: id, deliveryId: delivery, deliveryStatus: 'FAILED' }),
  ]) t.equal(code(() => given(webhookSubscriptionDecider, created, disabled).when(c)), 'WebhookSubscriptionDisabled', c.type)
  t.equal(code(() => given(webhookSubscriptionDecider).when(cmd('DisableWebhookSubscription', { subscriptionId: id }))), 'WebhookSubscriptionNotFound')
})

t.test('only a FAILED delivery is retried by hand; the request is the audit trail', async (t) => {
  const retry = (deliveryStatus?: 'PENDING' | 'DELIVERED' | 'FAILED') => cmd('RetryWebhookDelivery', { subscriptionId: id, deliveryId: delivery, deliveryStatus })
  t.same(given(webhookSubscriptionDecider, created).when(retry('FAILED')), [{ type: 'WebhookDeliveryRetryRequested', data: { subscriptionId: id, deliveryId: delivery, requestedBy: 'csirt', at: metadata.now } }])
  t.equal(code(() => given(webhookSubscriptionDecider, created).when(retry('PENDING'))), 'WebhookDeliveryNotFailed')
  t.equal(code(() => given(webhookSubscriptionDecider, created).when(retry('DELIVERED'))), 'WebhookDeliveryNotFailed')
  t.equal(code(() => given(webhookSubscriptionDecider, created).when(retry(undefined))), 'WebhookDeliveryNotFound')
  t.equal(code(() => given(webhookSubscriptionDecider).when(retry('FAILED'))), 'WebhookSubscriptionNotFound')
  const [requested] = given(webhookSubscriptionDecider, created).when(retry('FAILED')) as [WebhookSubscriptionEvent]
  t.same(given(webhookSubscriptionDecider, created, requested).state(), given(webhookSubscriptionDecider, created).state(), 'a retry changes nothing the decider checks')
})
