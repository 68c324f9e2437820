// Outbound webhook subscriptions over REST: the secret shown once (never in events or reads, stored
// sealed, the same on an Idempotency-Key retry), the event catalogue, rotation and its limits, disabling,
// the delivery log paged and filtered, and who may do and read what (an employee: 403; another agency: nothing).
import t from 'tap'
import { startTestApp } from '../helpers/app.js'

const h = await startTestApp(t, { webhooks: { start: false } })
await h.agency('mof')
await h.agency('mic')
const gso = await h.token('mof', ['GENERAL_SECURITY_OFFICER'], 'gso')
const clerk = await h.token('mof', [], 'clerk')
const other = await h.token('mic', ['CISO'], 'kato')
const auth = (token: string) => ({ authorization: `Bearer ${token}` })
const post = (token: string, url: string, payload: object = {}, headers: Record<string, string> = {}) => h.app.inject({ method: 'POST', url, headers: { ...auth(token), ...headers }, payload })
const get = (token: string, url: string) => h.app.inject({ method: 'GET', url, headers: auth(token) })
const URL_OK = 'https://soc.example.jp/hooks/cs-record'

const created = await post(gso, '/api/webhook-subscriptions', { url: URL_OK, eventTypes: ['incident.reported', 'exception.decided'], description: 'SOC' }, { 'idempotency-key': 'sub-1' })
const sub = created.json() as { id: string; secretId: string; secret: string; position: number; replayed: boolean }

t.test('creating answers the secret once; events and reads never hold it', async (t) => {
  t.equal(created.statusCode, 201, created.body)
  t.match(sub, { id: /^mof\.[0-9a-f-]{36}$/, secret: /^whsec_[A-Za-z0-9+/]{32}$/, replayed: false })
  const again = await post(gso, '/api/webhook-subscriptions', { url: URL_OK, eventTypes: ['incident.reported', 'exception.decided'], description: 'SOC' }, { 'idempotency-key': 'sub-1' })
  t.equal(again.statusCode, 201)
  t.match(again.json(), { id: sub.id, secretId: sub.secretId, secret: sub.secret, replayed: true }, 'a retry with the same key gets the same subscription and secret')
  const events = JSON.stringify(await h.store.readAgency('mof', 0, 10_000))
  t.ok(events.includes('WebhookSubscriptionCreated'))
  t.notOk(events.includes(sub.secret.slice(6)), 'no event holds the secret')
  const list = await get(gso, `/api/webhook-subscriptions?minPosition=${sub.position}`)
  t.equal(list.statusCode, 200)
  t.match(list.json().items, [{ id: sub.id, agencyId: 'mof', url: URL_OK, eventTypes: ['incident.reported', 'exception.decided'], description: 'SOC', disabledAt: null, secrets: [{ secretId: sub.secretId, retiredAt: null }] }])
  t.notOk(list.body.includes(sub.secret.slice(6)), 'reads hold no secret')
  const { rows } = await h.db.app.pool.query('SELECT encode(ciphertext, \'escape\') AS c FROM webhook_subscription_secrets')
  t.equal(rows.length, 1)
  t.notOk(JSON.stringify(rows).includes(sub.secret.slice(6)), 'stored sealed')
})

t.test('the event catalogue is public to employees', async (t) => {
  const res = await get(clerk, '/api/webhook-event-types')
  t.equal(res.statusCode, 200)
  const items = res.json().items as { name: string; sourceEvents: string[] }[]
  t.ok(items.some((i) => i.name === 'incident.reported' && i.sourceEvents.includes('IncidentReported')))
  t.same(items.find((i) => i.name === 'exception.decided')?.sourceEvents, ['ExceptionApproved', 'ExceptionRejected'])
})

t.test('input errors name what to fix', async (t) => {
  const bad = async (payload: object) => (await post(gso, '/api/webhook-subscriptions', payload)).json() as { code: string; status: number }
  t.match(await bad({ url: URL_OK, eventTypes: ['incident.reported', 'incident.exploded'] }), { code: 'UnknownWebhookEventType', status: 422 })
  t.match(await bad({ url: URL_OK, eventTypes: ['incident.closed', 'incident.closed'] }), { code: 'DuplicateWebhookEventType', status: 422 })
  t.match(await bad({ url: URL_OK, eventTypes: [] }), { code: 'ValidationFailed', status: 400 })
  t.match(await bad({ url: 'ftp://soc.example.jp/', eventTypes: ['incident.closed'] }), { code: 'UnsafeWebhookUrl', status: 422 })
  t.match(await bad({ url: `https://soc.example.jp/${'x'.repeat(2001)}`, eventTypes: ['incident.closed'] }), { code: 'ValidationFailed', status: 400 })
})

t.test('an employee without a managing role: 403 everywhere but the catalogue', async (t) => {
  t.equal((await post(clerk, '/api/webhook-subscriptions', { url: URL_OK, eventTypes: ['incident.reported'] })).statusCode, 403)
  t.equal((await get(clerk, '/api/webhook-subscriptions')).statusCode, 403)
  const log = await get(clerk, `/api/webhook-subscriptions/${sub.id}/deliveries`)
  t.equal(log.statusCode, 403)
  t.equal(log.json().code, 'Forbidden')
  t.equal((await post(clerk, `/api/webhook-subscriptions/${sub.id}/secrets`)).statusCode, 403)
  t.equal((await post(clerk, `/api/webhook-subscriptions/${sub.id}/disable`)).statusCode, 403)
  t.equal((await post(clerk, '/api/webhook-deliveries/00000000-0000-4000-8000-000000000001/retry')).statusCode, 403)
})

t.test('the delivery log: paged newest first, filtered by status; another agency cannot read it', async (t) => {
  let last = 0
  for (const title of ['one', 'two', 'three']) {
    last = (await post(gso, '/api/incidents', { title, description: 'd', detectedAt: '2026-07-01T09:00:00+09:00' })).json().position
  }
  const first = await get(gso, `/api/webhook-subscriptions/${sub.id}/deliveries?first=2&minPosition=${last}`)
  t.equal(first.statusCode, 200, first.body)
  const p1 = first.json() as { items: { id: string; status: string; payload: { data: { title: string } } }[]; pageInfo: { hasNextPage: boolean; endCursor: string } }
  t.same(p1.items.map((d) => d.payload.data.title), ['three', 'two'])
  t.equal(p1.pageInfo.hasNextPage, true)
  const p2 = (await get(gso, `/api/webhook-subscriptions/${sub.id}/deliveries?first=2&after=${p1.pageInfo.endCursor}`)).json() as typeof p1
  t.same(p2.items.map((d) => d.payload.data.title), ['one'])
  t.equal(p2.pageInfo.hasNextPage, false)
  t.equal((await get(gso, `/api/webhook-subscriptions/${sub.id}/deliveries?status=PENDING`)).json().items.length, 3)
  t.equal((await get(gso, `/api/webhook-subscriptions/${sub.id}/deliveries?status=DELIVERED,FAILED`)).json().items.length, 0)
  t.equal((await get(gso, `/api/webhook-subscriptions/${sub.id}/deliveries?status=LOST`)).statusCode, 400)
  t.equal((await get(gso, `/api/webhook-subscriptions/${sub.id}/deliveries?after=forged`)).json().code, 'InvalidCursor')
  const theirs = await get(other, `/api/webhook-subscriptions/${sub.id}/deliveries`)
  t.equal(theirs.statusCode, 404)
  t.equal(theirs.json().code, 'WebhookSubscriptionNotFound')
  t.same((await get(other, '/api/webhook-subscriptions')).json().items, [], 'nor list it')
  t.equal((await get(gso, '/api/webhook-subscriptions?agencyId=mic')).json().code, 'ValidationFailed', 'nor the other way round')
  const retry = await post(other, `/api/webhook-deliveries/${p1.items[0]?.id}/retry`)
  t.equal(retry.json().code, 'WebhookDeliveryNotFound', 'nor retry its deliveries')
  t.equal((await post(gso, `/api/webhook-deliveries/${p1.items[0]?.id}/retry`)).json().code, 'WebhookDeliveryNotFailed', 'a pending one is not retried by hand')
})

t.test('rotation, retirement and disabling', async (t) => {
  const s = (await post(gso, '/api/webhook-subscriptions', { url: URL_OK, eventTypes: ['incident.closed'] })).json() as typeof sub
  const rotated = await post(gso, `/api/webhook-subscriptions/${s.id}/secrets`)
  t.equal(rotated.statusCode, 201, rotated.body)
  const next = rotated.json() as typeof sub
  t.not(next.secret, s.secret)
  t.not(next.secretId, s.secretId)
  for (let i = 0; i < 3; i++) t.equal((await post(gso, `/api/webhook-subscriptions/${s.id}/secrets`)).statusCode, 201)
  t.equal((await post(gso, `/api/webhook-subscriptions/${s.id}/secrets`)).json().code, 'TooManyWebhookSecrets', 'at most five live')
  const retired = await post(gso, `/api/webhook-subscriptions/${s.id}/secrets/retirement`, { secretId: s.secretId })
  t.equal(retired.statusCode, 200, retired.body)
  t.equal((await post(gso, `/api/webhook-subscriptions/${s.id}/secrets/retirement`, { secretId: s.secretId })).json().code, 'WebhookSecretNotFound')
  const { rows } = await h.db.app.pool.query('SELECT secret_id FROM webhook_subscription_secrets WHERE subscription_id = $1 AND retired_at IS NOT NULL', [s.id])
  t.same(rows.map((r: { secret_id: string }) => r.secret_id), [s.secretId], 'the sealed row is marked retired')
  const disabled = await post(gso, `/api/webhook-subscriptions/${s.id}/disable`, { reason: 'moved to a new SOC' })
  t.equal(disabled.statusCode, 200, disabled.body)
  t.equal((await post(gso, `/api/webhook-subscriptions/${s.id}/secrets`)).json().code, 'WebhookSubscriptionDisabled')
  t.equal((await post(gso, `/api/webhook-subscriptions/${s.id}/disable`)).json().code, 'WebhookSubscriptionDisabled')
  const listed = (await get(gso, `/api/webhook-subscriptions?minPosition=${disabled.json().position}`)).json().items as { id: string; disabledAt: string | null; disabledReason: string | null }[]
  t.match(listed.find((x) => x.id === s.id), { disabledAt: /^\d{4}-/, disabledReason: 'moved to a new SOC' })
  const unknown = await post(gso, '/api/webhook-subscriptions/mof.00000000-0000-4000-8000-000000000000/secrets')
  t.equal(unknown.statusCode, 404)
  t.equal(unknown.json().code, 'WebhookSubscriptionNotFound')
  t.equal((await post(gso, '/api/webhook-subscriptions/not-an-id/secrets')).statusCode, 400)
})

t.test('a retry with the same Idempotency-Key answers the first result, whatever happened since', async (t) => {
  const key = { 'idempotency-key': 'replayed-create' }
  const payload = { url: URL_OK, eventTypes: ['incident.closed'] }
  const first = (await post(gso, '/api/webhook-subscriptions', payload, key)).json() as typeof sub
  const rotateKey = { 'idempotency-key': 'replayed-rotation' }
  const rotation = await post(gso, `/api/webhook-subscriptions/${first.id}/secrets`, {}, rotateKey)
  t.equal(rotation.statusCode, 201, rotation.body)
  const rotated = rotation.json() as typeof sub
  const replays = async (what: string) => {
    const create = await post(gso, '/api/webhook-subscriptions', payload, key)
    t.equal(create.statusCode, 201, `create replayed ${what}: ${create.body}`)
    t.match(create.json(), { id: first.id, secretId: first.secretId, secret: first.secret, position: first.position, replayed: true }, `create: the first answer ${what}`)
    const rotate = await post(gso, `/api/webhook-subscriptions/${first.id}/secrets`, {}, rotateKey)
    t.equal(rotate.statusCode, 201, `rotation replayed ${what}: ${rotate.body}`)
    t.match(rotate.json(), { id: first.id, secretId: rotated.secretId, secret: rotated.secret, position: rotated.position, replayed: true }, `rotation: the first answer ${what}`)
  }
  t.equal((await post(gso, `/api/webhook-subscriptions/${first.id}/secrets/retirement`, { secretId: first.secretId })).statusCode, 200)
  await replays('after its secret was retired')
  for (let i = 0; i < 4; i++) t.equal((await post(gso, `/api/webhook-subscriptions/${first.id}/secrets`)).statusCode, 201)
  t.equal((await post(gso, `/api/webhook-subscriptions/${first.id}/secrets`)).json().code, 'TooManyWebhookSecrets', 'five live now')
  await replays('with five live secrets')
  t.equal((await post(gso, `/api/webhook-subscriptions/${first.id}/secrets/retirement`, { secretId: rotated.secretId })).statusCode, 200)
  t.equal((await post(gso, `/api/webhook-subscriptions/${first.id}/disable`)).statusCode, 200)
  await replays('after the subscription was disabled')
  const reused = await post(gso, '/api/webhook-subscriptions', { ...payload, url: 'https://other.example.jp/hook' }, key)
  t.match(reused.json(), { status: 422, code: 'IdempotencyKeyReused' }, 'the same key for another request')
  t.match((await post(gso, `/api/webhook-subscriptions/${first.id}/secrets`, {}, key)).json(), { status: 422, code: 'IdempotencyKeyReused' })
  t.match((await post(other, '/api/webhook-subscriptions', payload, key)).json(), { replayed: false }, 'keys are per caller')
})

t.test('at most 20 live subscriptions per agency; the list is paged', async (t) => {
  await h.agency('cap')
  const ciso = await h.token('cap', ['CISO'], 'cap-ciso')
  const created: { id: string; position: number }[] = []
  // Back to back, without waiting for the read model: the count includes what it has not applied yet.
  for (let i = 0; i < 20; i++) {
    const res = await post(ciso, '/api/webhook-subscriptions', { url: `https://r${i}.example.jp/hook`, eventTypes: ['incident.reported'] }, { 'idempotency-key': `cap-${i}` })
    t.equal(res.statusCode, 201, res.body)
    created.push(res.json())
  }
  const refused = await post(ciso, '/api/webhook-subscriptions', { url: 'https://r20.example.jp/hook', eventTypes: ['incident.reported'] })
  t.equal(refused.statusCode, 409)
  t.match(refused.json(), { code: 'TooManyWebhookSubscriptions', detail: /at most 20/ })
  t.match((await post(ciso, '/api/webhook-subscriptions', { url: 'https://r3.example.jp/hook', eventTypes: ['incident.reported'] }, { 'idempotency-key': 'cap-3' })).json(),
    { id: created[3]?.id, replayed: true }, 'a retry of an earlier request is still answered')
  t.equal((await post(ciso, `/api/webhook-subscriptions/${created[0]?.id}/disable`)).statusCode, 200)
  const again = await post(ciso, '/api/webhook-subscriptions', { url: 'https://r20.example.jp/hook', eventTypes: ['incident.reported'] })
  t.equal(again.statusCode, 201, 'a disabled one frees its place')
  const last = again.json() as { id: string; position: number }
  t.equal((await post(ciso, '/api/webhook-subscriptions', { url: 'https://r21.example.jp/hook', eventTypes: ['incident.reported'] })).json().code, 'TooManyWebhookSubscriptions')

  type Listed = { items: { id: string; disabledAt: string | null }[]; pageInfo: { hasNextPage: boolean; endCursor: string | null } }
  const pages: Listed[] = []
  let after = ''
  do {
    const res = await get(ciso, `/api/webhook-subscriptions?first=8&minPosition=${last.position}${after ? `&after=${after}` : ''}`)
    t.equal(res.statusCode, 200, res.body)
    pages.push(res.json())
    after = pages.at(-1)?.pageInfo.endCursor ?? ''
  } while (pages.at(-1)?.pageInfo.hasNextPage && pages.length < 10)
  t.same(pages.map((p) => p.items.length), [8, 8, 5], 'three pages, none silently cut')
  t.same(pages.map((p) => p.pageInfo.hasNextPage), [true, true, false])
  const ids = pages.flatMap((p) => p.items.map((i) => i.id))
  t.same(ids, [...created.map((c) => c.id), last.id], 'oldest first, each once, the disabled one included')
  t.ok(pages[0]?.items[0]?.disabledAt)
  t.equal((await get(ciso, '/api/webhook-subscriptions?after=forged')).json().code, 'InvalidCursor')
  const year0 = Buffer.from(JSON.stringify({ c: '0000-01-01T00:00:00Z', a: 'cap', i: 'x' })).toString('base64url')
  t.equal((await get(ciso, `/api/webhook-subscriptions?after=${year0}`)).json().code, 'InvalidCursor', 'a time PostgreSQL cannot take')
  t.equal((await get(ciso, '/api/webhook-subscriptions?first=201')).statusCode, 400)
})
