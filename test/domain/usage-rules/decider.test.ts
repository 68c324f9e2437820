// given/when/then over the usage rules (Art. 22): versions published once and in effective-date order,
// each superseding the last once in force; the version in force on a day is the latest published with
// effectiveFrom on or before it (Japan date); an employee acknowledges the version in force or an
// upcoming one, once, while employed.
import t from 'tap'
import type { Actor } from '../../../src/domain/shared/decider.js'
import {
  usageRulesAckDecider, usageRulesAckStreamId, usageRulesDecider, usageRulesOn, usageRulesStreamId,
  type AcknowledgeUsageRules, type PublishUsageRules, type UsageRulesAckEvent, type UsageRulesEvent,
} from '../../../src/domain/usage-rules/index.js'
import { given } from '../../helpers/given.js'

const NOW = '2026-07-01T10:00:00+09:00'
const meta = (actor: Actor) => ({ actor, agencyId: 'mof', now: NOW, correlationId: 'c', source: 'api' })
const ciso: Actor = { id: 'boss', roles: ['CISO'] }
const sato: Actor = { id: 'sato', roles: [] }
const publish = (version: string, effectiveFrom: string): PublishUsageRules => ({ type: 'PublishUsageRules', data: { version, title: `Rules ${version}`, summary: 'use systems for work only', effectiveFrom }, metadata: meta(ciso) })
const published = (version: string, effectiveFrom: string, supersedes?: string): UsageRulesEvent => ({
  type: 'UsageRulesPublished', data: { version, title: `Rules ${version}`, summary: 'use systems for work only', documentRef: undefined, effectiveFrom, supersedes, publishedBy: 'boss', at: NOW },
})
const employee = { exists: true, unitId: 'u1' }
const inForce2026 = [{ version: '2025.1', effectiveFrom: '2025-04-01' }, { version: '2026.1', effectiveFrom: '2026-04-01' }]
const ack = (version: string, facts: Partial<AcknowledgeUsageRules['data']> = {}, now = NOW): AcknowledgeUsageRules => ({
  type: 'AcknowledgeUsageRules', data: { version, employee, published: inForce2026, ...facts }, metadata: { ...meta(sato), now },
})
const acknowledged: UsageRulesAckEvent = { type: 'UsageRulesAcknowledged', data: { employeeId: 'sato', unitId: 'u1', version: '2026.1', at: NOW } }

t.test('versions: the first, then one superseding it; a version is published once, never taking effect before the current one', async (t) => {
  t.same(given(usageRulesDecider).when(publish('2025.1', '2025-04-01')), [published('2025.1', '2025-04-01')])
  t.same(given(usageRulesDecider, published('2025.1', '2025-04-01')).when(publish('2026.1', '2026-04-01')), [published('2026.1', '2026-04-01', '2025.1')])
  t.throws(() => given(usageRulesDecider, published('2025.1', '2025-04-01')).when(publish('2025.1', '2026-04-01')), { code: 'UsageRulesVersionExists' })
  t.throws(() => given(usageRulesDecider, published('2025.1', '2025-04-01')).when(publish('2024.9', '2025-03-31')), { code: 'UsageRulesOutOfOrder', details: { current: { version: '2025.1' } } })
  const upcoming = published('2027.1', '2027-04-01', '2026.1')
  t.same(given(usageRulesDecider, published('2026.1', '2026-04-01'), upcoming).when(publish('2027.2', '2027-04-01')), [published('2027.2', '2027-04-01', '2027.1')], 'after an upcoming version, on or after its date')
  t.same(given(usageRulesDecider, published('2026.1', '2026-04-01'), upcoming).state().published.map((v) => v.version), ['2026.1', '2027.1'])
  t.equal(usageRulesStreamId, 'usage-rules')
  t.equal(usageRulesAckStreamId('sato'), 'usage-rules-ack-sato')
})

t.test('the version in force: the latest published with effectiveFrom on or before today; later ones are upcoming', async (t) => {
  const versions = [...inForce2026, { version: '2027.1', effectiveFrom: '2027-04-01' }, { version: '2027.2', effectiveFrom: '2027-10-01' }]
  t.same(usageRulesOn(versions, '2026-07-01'), { inForce: inForce2026[1], upcoming: [versions[2], versions[3]] })
  t.same(usageRulesOn(versions, '2027-03-31').inForce?.version, '2026.1', 'the day before')
  t.same(usageRulesOn(versions, '2027-04-01'), { inForce: versions[2], upcoming: [versions[3]] }, 'from its effective date')
  t.same(usageRulesOn(versions, '2025-03-31'), { inForce: undefined, upcoming: versions }, 'none in force yet')
  t.same(usageRulesOn([], '2026-07-01'), { inForce: undefined, upcoming: [] })
})

t.test('an employee acknowledges the version in force for themselves, once', async (t) => {
  t.same(given(usageRulesAckDecider).when(ack('2026.1')), [acknowledged])
  t.same(given(usageRulesAckDecider, acknowledged).when(ack('2026.1')), [], 'a repeat records nothing')
  t.throws(() => given(usageRulesAckDecider).when(ack('2025.1')), { code: 'NotCurrentUsageRules', message: /2025.1 of the usage rules is superseded; acknowledge version 2026.1/, details: { version: '2025.1', currentVersion: '2026.1', upcomingVersions: [] } })
  t.throws(() => given(usageRulesAckDecider).when(ack('2024.1')), { code: 'NotCurrentUsageRules', message: /not published/ })
  t.throws(() => given(usageRulesAckDecider).when(ack('2026.1', { published: [] })), { code: 'NotCurrentUsageRules', details: { currentVersion: null, upcomingVersions: [] } })
  t.throws(() => given(usageRulesAckDecider).when(ack('2026.1', { employee: { exists: false } })), { code: 'UnknownEmployee' })
  t.throws(() => given(usageRulesAckDecider).when(ack('2026.1', { employee: { ...employee, departedOn: '2026-06-30' } })), { code: 'EmployeeDeparted' })
  t.same(given(usageRulesAckDecider).when(ack('2026.1', { employee: { ...employee, departedOn: '2026-07-01' } })), [acknowledged], 'still employed on the day they leave')
})

t.test('a version published ahead of its effective date is not in force until then, but may be acknowledged ahead', async (t) => {
  const ahead = [...inForce2026, { version: '2027.1', effectiveFrom: '2027-04-01' }]
  t.same(given(usageRulesAckDecider).when(ack('2026.1', { published: ahead })), [acknowledged], 'the version in force stays acknowledgeable')
  t.same(given(usageRulesAckDecider).when(ack('2027.1', { published: ahead })), [{ ...acknowledged, data: { ...acknowledged.data, version: '2027.1' } }], 'the upcoming one, ahead')
  t.throws(() => given(usageRulesAckDecider).when(ack('2025.1', { published: ahead })), {
    code: 'NotCurrentUsageRules', message: /acknowledge version 2026.1 \(in force since 2026-04-01\) or version 2027.1 \(in force from 2027-04-01\)/,
    details: { currentVersion: '2026.1', upcomingVersions: ['2027.1'] },
  })
  // Once 2027.1 takes effect (Japan date: 2027-04-01 00:30 JST is still 2027-03-31 in UTC), 2026.1 is superseded.
  t.throws(() => given(usageRulesAckDecider).when(ack('2026.1', { published: ahead }, '2027-03-31T15:30:00Z')), { code: 'NotCurrentUsageRules', details: { currentVersion: '2027.1', upcomingVersions: [] } })
  t.doesNotThrow(() => given(usageRulesAckDecider).when(ack('2026.1', { published: ahead }, '2027-03-31T14:30:00Z')), 'the last day of 2026.1 in Japan')
  t.same(given(usageRulesAckDecider).when(ack('2027.1', { published: [{ version: '2027.1', effectiveFrom: '2027-04-01' }] })).length, 1, 'the first version, before it takes effect')
})
