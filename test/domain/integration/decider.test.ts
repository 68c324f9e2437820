// The integration aggregate: create, rotate (several live secrets), retire (never the last), disable;
// refusals are audit facts; events never hold a secret. The alert aggregate: new, repeat, resolved.
import t from 'tap'
import { alertDecider, alertStatusOf, type ReceiveAlert } from '../../../src/domain/alert/index.js'
import { integrationAuthModes, integrationDecider, integrationFormats, maxLiveSecrets, type IntegrationCommand, type IntegrationEvent } from '../../../src/domain/integration/index.js'
import { authModes } from '../../../src/siem/webhook-auth.js'
import { siemFormats } from '../../../src/siem/index.js'
import { given } from '../../helpers/given.js'

const metadata = { actor: { id: 'csirt', roles: ['CSIRT_HEAD' as const] }, agencyId: 'mof', now: '2026-07-01T00:00:00.000Z', correlationId: 'c', source: 'api' }
const id = 'mof.6f1c2f0e-0000-4000-8000-000000000001'
const s1 = '00000000-0000-4000-8000-000000000001'
const s2 = '00000000-0000-4000-8000-000000000002'
const cmd = <C extends IntegrationCommand>(type: C['type'], data: C['data']) => ({ type, data, metadata }) as unknown as C
const create = cmd('CreateIntegration', { integrationId: id, secretId: s1, name: 'Prometheus', format: 'alertmanager', authMode: 'standard-webhooks', severityThreshold: 'medium' })
const [created] = given(integrationDecider).when(create) as [IntegrationEvent]
const added: IntegrationEvent = { type: 'IntegrationSecretAdded', data: { integrationId: id, secretId: s2, addedBy: 'csirt', at: metadata.now } }

t.test('the domain lists match the parsers and the verifier', async (t) => {
  t.same([...integrationFormats], [...siemFormats])
  t.same([...integrationAuthModes], [...authModes])
})

t.test('create, rotate, retire', async (t) => {
  t.equal(created.type, 'IntegrationCreated')
  t.throws(() => given(integrationDecider, created).when(create), { code: 'IntegrationExists' })
  t.same(given(integrationDecider, created).when(cmd('RotateIntegrationSecret', { integrationId: id, secretId: s2 })), [added])
  t.same(given(integrationDecider, created, added).state().liveSecretIds, [s1, s2], 'both verify until one is retired')
  const retire = cmd('RetireIntegrationSecret', { integrationId: id, secretId: s1 })
  t.same(given(integrationDecider, created, added).when(retire), [{ type: 'IntegrationSecretRetired', data: { integrationId: id, secretId: s1, retiredBy: 'csirt', at: metadata.now } }])
  t.throws(() => given(integrationDecider, created).when(retire), { code: 'LastSecret' })
  t.throws(() => given(integrationDecider, created, added).when(cmd('RetireIntegrationSecret', { integrationId: id, secretId: '00000000-0000-4000-8000-000000000009' })), { code: 'SecretNotFound' })
  t.throws(() => given(integrationDecider).when(retire), { code: 'IntegrationNotFound' })
  const many = Array.from({ length: maxLiveSecrets - 1 }, (_, i): IntegrationEvent => ({ ...added, data: { ...added.data, secretId: `s${i}` } }))
  t.throws(() => given(integrationDecider, created, ...many).when(cmd('RotateIntegrationSecret', { integrationId: id, secretId: 'x' })), { code: 'TooManySecrets' })
})

t.test('disable and refusals', async (t) => {
  const [disabled] = given(integrationDecider, created).when(cmd('DisableIntegration', { integrationId: id })) as [IntegrationEvent]
  t.equal(disabled.type, 'IntegrationDisabled')
  t.same(given(integrationDecider, created, disabled).state().liveSecretIds, [])
  t.throws(() => given(integrationDecider, created, disabled).when(cmd('RotateIntegrationSecret', { integrationId: id, secretId: s2 })), { code: 'IntegrationDisabled' })
  t.same(given(integrationDecider, created).when(cmd('RecordDeliveryRefused', { integrationId: id, reason: 'BadSignature', sourceAddress: '10.0.0.1' })),
    [{ type: 'DeliveryRefused', data: { integrationId: id, reason: 'BadSignature', sourceAddress: '10.0.0.1', at: metadata.now } }])
})

t.test('alerts: first delivery, repeat, resolved notice', async (t) => {
  const receipt = (resolved: boolean): ReceiveAlert => ({
    type: 'ReceiveAlert', metadata,
    data: { alertId: 'a1', integrationId: id, alert: { title: 'x', severity: 'high', source: 'alertmanager', externalId: 'e1', resolved }, payloadSha256: '0'.repeat(64), parserVersion: 1, receivedAt: metadata.now, meetsThreshold: true },
  })
  const [first] = given(alertDecider).when(receipt(false))
  t.equal(first?.type, 'AlertReceived')
  t.equal(given(alertDecider, first!).when(receipt(false))[0]?.type, 'AlertUpdated')
  t.equal(given(alertDecider, first!).when(receipt(true))[0]?.type, 'AlertResolved')
  t.equal(given(alertDecider).when(receipt(true))[0]?.type, 'AlertReceived', 'first seen already resolved: recorded as it is')
  t.same(['AlertReceived', 'AlertUpdated', 'AlertResolved'].map((x) => alertStatusOf(x as never)), ['NEW', 'UPDATED', 'RESOLVED'])
})
