// The lifecycle rules of domain.md §5 (Art. 14), one test per rule code: what breaks it and what does not.
import t from 'tap'
import { violations, type RuleSubject, type StepDetails, type StoredRestriction } from '../../../src/domain/information/index.js'
import { lifecycleRuleCodes, lifecycleRules, type LifecycleRuleCode } from '../../../src/domain/shared/lifecycle.js'

const today = '2026-06-15'
const asset = (c: 1 | 2 | 3, ...restrictions: StoredRestriction[]): RuleSubject => ({ classes: { confidentiality: c, integrity: 1, availability: 1 }, restrictions })
const r = (code: StoredRestriction['code'], more: Partial<StoredRestriction> = {}): StoredRestriction => ({ code, ...more })
const check = (subject: RuleSubject, step: StepDetails) => violations(subject, step, { today })

const copy: StepDetails = { step: 'COPY', copyAssetId: 'c', title: 'Copy', ownerUnitId: 'u1', medium: 'ELECTRONIC' }
const use = (areaId?: string): StepDetails => ({ step: 'USE', purpose: 'review', ...(areaId ? { areaId } : {}) })
const save = (medium: 'SERVER' | 'EXTERNAL_MEDIA' | 'CABINET', encrypted: boolean): StepDetails => ({ step: 'SAVE', medium, encrypted })
const publish: StepDetails = { step: 'PUBLISH', channel: 'website' }
const provide = (recipient: string, toAgencyId?: string): StepDetails => ({ step: 'PROVIDE', recipient, purpose: 'joint work', ...(toAgencyId ? { toAgencyId } : {}) })
const carry = (method: 'REMOVABLE_MEDIA' | 'PAPER', safe: boolean): StepDetails => ({ step: 'CARRY', method, encrypted: method !== 'PAPER' && safe, sealed: method === 'PAPER' && safe, destination: 'meeting' })
const send = (o: { outside?: boolean; encrypted?: boolean; forwarding?: boolean; recipient?: string } = {}): StepDetails =>
  ({ step: 'SEND', channel: 'EMAIL', recipient: o.recipient ?? 'x', toOutsideGovernment: o.outside ?? false, encrypted: o.encrypted ?? false, forwarding: o.forwarding ?? false })
/** The asset as taken in from another agency (or a copy of such an asset): what travelled with it. */
const received = (subject: RuleSubject): RuleSubject => ({ ...subject, received: { fromAgencyId: 'mic', classes: subject.classes, restrictions: [...subject.restrictions] } })
const del = (irrecoverable: boolean): StepDetails => ({ step: 'DELETE', method: 'OVERWRITE', irrecoverable })

const tested = new Set<LifecycleRuleCode>()
const expect = (tt: { same(found: unknown, wanted: unknown, message: string): unknown }, got: LifecycleRuleCode[], want: LifecycleRuleCode[], msg = '') => {
  want.forEach((c) => tested.add(c))
  tt.same(got, want, msg)
}

t.test('COPY: NO_COPY forbids it; COPY_NEEDS_PERMISSION asks for permission', async (t) => {
  expect(t, check(asset(1), copy), [])
  expect(t, check(asset(1, r('NO_COPY')), copy), ['NoCopy'])
  expect(t, check(asset(1, r('COPY_NEEDS_PERMISSION')), copy), ['CopyWithoutPermission'])
})

t.test('USE: C3 outside a controlled area needs permission; inside one it does not', async (t) => {
  expect(t, check(asset(3), use()), ['C3OutsideControlledArea'])
  expect(t, check(asset(3), use('secure-room')), [])
  expect(t, check(asset(2), use()), [], 'C2 may be used anywhere')
})

t.test('SAVE: 要機密 on external media, or ENCRYPTION_REQUIRED, is saved encrypted', async (t) => {
  expect(t, check(asset(2), save('EXTERNAL_MEDIA', false)), ['UnencryptedSave'])
  expect(t, check(asset(2), save('EXTERNAL_MEDIA', true)), [])
  expect(t, check(asset(1), save('EXTERNAL_MEDIA', false)), [], 'C1 needs no encryption')
  expect(t, check(asset(2), save('SERVER', false)), [], 'the server is not external media')
  expect(t, check(asset(1, r('ENCRYPTION_REQUIRED')), save('SERVER', false)), ['UnencryptedSave'])
  expect(t, check(asset(3, r('ENCRYPTION_REQUIRED')), save('CABINET', false)), [], 'paper in a cabinet is not encrypted')
})

t.test('PUBLISH: only C1', async (t) => {
  expect(t, check(asset(1), publish), [])
  expect(t, check(asset(2), publish), ['PublishNotC1'])
  expect(t, check(asset(3), publish), ['PublishNotC1'])
})

t.test('PROVIDE: NO_DISTRIBUTION, DISTRIBUTION_NEEDS_PERMISSION, AUDIENCE_LIMITED', async (t) => {
  expect(t, check(asset(2), provide('MIC cyber division', 'mic')), [])
  expect(t, check(asset(1, r('NO_DISTRIBUTION')), provide('x', 'mic')), ['NoDistribution'])
  expect(t, check(asset(1, r('DISTRIBUTION_NEEDS_PERMISSION')), provide('x')), ['DistributionWithoutPermission'])
  const limited = asset(1, r('AUDIENCE_LIMITED', { audience: ['mic', 'Cabinet Office'] }))
  expect(t, check(limited, provide('someone', 'mof')), ['AudienceLimited'])
  expect(t, check(limited, provide('someone', 'mic')), [], 'the agency id is in the audience')
  expect(t, check(limited, provide('  cabinet office ')), [], 'names compare trimmed and case-insensitively')
  const all = asset(1, r('NO_DISTRIBUTION'), r('DISTRIBUTION_NEEDS_PERMISSION'), r('AUDIENCE_LIMITED', { audience: ['a'] }))
  expect(t, check(all, provide('b')), ['NoDistribution', 'DistributionWithoutPermission', 'AudienceLimited'], 'in the order lifecycle.ts lists them')
})

t.test('AUDIENCE_LIMITED: a named agency must itself be in the audience; the recipient name counts only without one', async (t) => {
  const limited = asset(1, r('AUDIENCE_LIMITED', { audience: ['Cabinet Office'] }))
  expect(t, check(limited, provide('Cabinet Office', 'mof')), ['AudienceLimited'], 'an audience name as recipient does not let another agency in')
  expect(t, check(limited, provide('Cabinet Office')), [], 'outside the government bodies the recipient is matched')
  const byAgency = asset(1, r('AUDIENCE_LIMITED', { audience: ['mic'] }))
  expect(t, check(byAgency, provide('anyone at MIC', 'mic')), [])
  expect(t, check(byAgency, provide('mic')), [], 'without an agency the recipient is matched')
})

t.test('CARRY: NO_TAKE_OUT forbids it; 要機密 needs a safe method', async (t) => {
  expect(t, check(asset(3, r('NO_TAKE_OUT')), carry('REMOVABLE_MEDIA', true)), ['NoTakeOut'])
  expect(t, check(asset(3), carry('REMOVABLE_MEDIA', false)), ['UnsafeCarry'])
  expect(t, check(asset(3, r('NO_TAKE_OUT')), carry('REMOVABLE_MEDIA', false)), ['NoTakeOut', 'UnsafeCarry'])
  expect(t, check(asset(2), carry('PAPER', false)), ['UnsafeCarry'], 'unsealed paper')
  expect(t, check(asset(2), carry('PAPER', true)), [])
  expect(t, check(asset(3), carry('REMOVABLE_MEDIA', true)), [])
  expect(t, check(asset(1), carry('REMOVABLE_MEDIA', false)), [], 'C1 may travel unencrypted')
  expect(t, check(asset(1, r('ENCRYPTION_REQUIRED')), carry('REMOVABLE_MEDIA', false)), ['UnsafeCarry'], 'unless ENCRYPTION_REQUIRED')
})

t.test('SEND: NO_SEND, NO_FORWARD for forwarding, encryption of ENCRYPTION_REQUIRED or 要機密 to outside', async (t) => {
  expect(t, check(asset(1, r('NO_SEND')), send({ encrypted: true })), ['NoSend'])
  expect(t, check(asset(1, r('NO_FORWARD')), send({ forwarding: true })), ['NoForward'])
  expect(t, check(asset(1, r('NO_FORWARD')), send()), [], 'sending what is not forwarded')
  expect(t, check(asset(2), send({ outside: true })), ['UnencryptedSend'])
  expect(t, check(asset(2), send({ outside: true, encrypted: true })), [])
  expect(t, check(asset(2), send()), [], 'inside the government')
  expect(t, check(asset(1, r('ENCRYPTION_REQUIRED')), send()), ['UnencryptedSend'])
})

t.test('SEND of received information is forwarding, whatever the caller says', async (t) => {
  expect(t, check(received(asset(1, r('NO_FORWARD'))), send()), ['NoForward'])
  expect(t, check(received(asset(1)), send()), [], 'received without NO_FORWARD may be sent on')
})

t.test('SEND: NO_DISTRIBUTION and DISTRIBUTION_NEEDS_PERMISSION outside the government, AUDIENCE_LIMITED always', async (t) => {
  expect(t, check(asset(1, r('NO_DISTRIBUTION')), send({ outside: true })), ['SendNoDistribution'])
  expect(t, check(asset(1, r('NO_DISTRIBUTION')), send()), [], 'inside the government it is not distribution')
  expect(t, check(asset(1, r('DISTRIBUTION_NEEDS_PERMISSION')), send({ outside: true })), ['SendDistributionWithoutPermission'])
  expect(t, check(asset(1, r('DISTRIBUTION_NEEDS_PERMISSION')), send()), [])
  const limited = asset(1, r('AUDIENCE_LIMITED', { audience: ['Legal division'] }))
  expect(t, check(limited, send({ recipient: 'press office' })), ['SendAudienceLimited'])
  expect(t, check(limited, send({ recipient: ' legal division', outside: true })), [])
  const all = asset(1, r('NO_SEND'), r('NO_DISTRIBUTION'), r('DISTRIBUTION_NEEDS_PERMISSION'), r('AUDIENCE_LIMITED', { audience: ['a'] }))
  expect(t, check(all, send({ outside: true, encrypted: true })), ['NoSend', 'SendNoDistribution', 'SendDistributionWithoutPermission', 'SendAudienceLimited'], 'in the order lifecycle.ts lists them')
})

t.test('DELETE: NO_DELETE, RETAIN_UNTIL (kept through the date), irrecoverable erasure', async (t) => {
  expect(t, check(asset(1), del(true)), [])
  expect(t, check(asset(1, r('NO_DELETE')), del(true)), ['NoDelete'])
  expect(t, check(asset(1, r('RETAIN_UNTIL', { date: today })), del(true)), ['RetentionNotOver'], 'on the date it is still kept')
  expect(t, check(asset(1, r('RETAIN_UNTIL', { date: '2026-06-14' })), del(true)), [], 'the day after it may go')
  expect(t, check(asset(1), del(false)), ['RecoverableErasure'])
})

t.test('every rule code of lifecycle.ts is exercised, each with the step it names', async (t) => {
  t.same([...tested].sort(), [...lifecycleRuleCodes].sort())
  t.equal(lifecycleRules.NoTakeOut.step, 'CARRY')
  t.equal(lifecycleRules.SendNoDistribution.step, 'SEND', 'each rule has one step: SEND has its own distribution codes')
  const order = lifecycleRuleCodes.filter((c) => lifecycleRules[c].step === 'SEND')
  t.same(order, ['NoSend', 'NoForward', 'UnencryptedSend', 'SendNoDistribution', 'SendDistributionWithoutPermission', 'SendAudienceLimited'])
})
