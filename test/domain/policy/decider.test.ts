// given/when/then over the policy decider (Art. 4): versions, dates, the parent reference, baselines.
import t from 'tap'
import { policyDecider, type AdoptBasicPolicy, type AdoptStandards, type PolicyAgencyFacts, type PolicyCommand, type PolicyEvent } from '../../../src/domain/policy/index.js'
import { baselineItems } from '../../../src/domain/shared/common-standards.js'
import type { CommandMetadata } from '../../../src/domain/shared/decider.js'
import { given } from '../../helpers/given.js'

const NOW = '2026-06-15T10:00:00+09:00'
const meta = (over: Partial<CommandMetadata> = {}): CommandMetadata =>
  ({ actor: { id: 'ciso-1', roles: ['CISO'] }, agencyId: 'mof', now: NOW, correlationId: 'c', source: 'api', ...over })
const organ: PolicyAgencyFacts = { kind: 'NATIONAL_ADMINISTRATIVE_ORGAN', parentPolicyVersions: [] }
const iaa: PolicyAgencyFacts = { kind: 'INCORPORATED_ADMINISTRATIVE_AGENCY', parentId: 'mof', parentPolicyVersions: ['2025.1', '2026.1'] }

const adoptPolicy = (data: Partial<AdoptBasicPolicy['data']> = {}, m: Partial<CommandMetadata> = {}): PolicyCommand =>
  ({ type: 'AdoptBasicPolicy', data: { version: '2026.1', title: 'Basic policy', summary: 'What we protect and how', adoptedOn: '2026-04-01', agency: organ, ...data }, metadata: meta(m) })
/** One own item per baseline item of the edition, plus a chapter 1 item. */
const fullItems = (edition: 'R3' | 'R5') => [
  { itemId: 'g-1', title: 'General', covers: ['1.1', '1.2'] },
  ...baselineItems(edition).map((code, i) => ({ itemId: `s-${i + 1}`, title: `Rule for ${code}`, covers: [code] })),
]
const adoptStandards = (data: Partial<AdoptStandards['data']> = {}): PolicyCommand =>
  ({ type: 'AdoptStandards', data: { version: 'S-2026.1', edition: 'R3', adoptedOn: '2026-05-01', items: fullItems('R3'), ...data }, metadata: meta() })
const review = (outcome: 'UNCHANGED' | 'REVISION_NEEDED' = 'UNCHANGED'): PolicyCommand =>
  ({ type: 'ReviewPolicy', data: { reviewId: 'r-1', outcome, notes: 'risk picture changed' }, metadata: meta() })

const policyAdopted: PolicyEvent = {
  type: 'BasicPolicyAdopted',
  data: { version: '2026.1', title: 'Basic policy', summary: 'What we protect and how', adoptedOn: '2026-04-01', parentId: undefined, parentPolicyVersion: undefined, by: 'ciso-1', at: NOW },
}
const policy = (...events: PolicyEvent[]) => given(policyDecider, ...events)

t.test('a national organ adopts its basic policy without a parent reference', async (t) => {
  t.same(policy().when(adoptPolicy()), [policyAdopted])
})

t.test('a national organ may not name a parent policy', async (t) => {
  t.throws(() => policy().when(adoptPolicy({ parentPolicyVersion: '2026.1' })), { code: 'ParentPolicyNotAllowed' })
})

t.test("a subordinate body's basic policy must follow an adopted policy of its parent organ", async (t) => {
  t.throws(() => policy().when(adoptPolicy({ agency: iaa })), { code: 'ParentPolicyRequired', details: { parentId: 'mof' } })
  t.throws(() => policy().when(adoptPolicy({ agency: iaa, parentPolicyVersion: '2027.1' })), { code: 'UnknownParentPolicy', details: { adoptedVersions: ['2025.1', '2026.1'] } })
  t.throws(() => policy().when(adoptPolicy({ agency: { ...iaa, kind: 'DESIGNATED_CORPORATION', parentPolicyVersions: [] }, parentPolicyVersion: '2026.1' })), { code: 'UnknownParentPolicy' })
  const [event] = policy().when(adoptPolicy({ agency: iaa, parentPolicyVersion: '2026.1' }))
  t.match(event, { type: 'BasicPolicyAdopted', data: { parentId: 'mof', parentPolicyVersion: '2026.1', by: 'ciso-1' } })
})

t.test('versions are new and adopted in date order, never in the future', async (t) => {
  t.throws(() => policy(policyAdopted).when(adoptPolicy()), { code: 'VersionAlreadyAdopted', details: { document: 'BASIC_POLICY' } })
  t.throws(() => policy(policyAdopted).when(adoptPolicy({ version: '2026.2', adoptedOn: '2026-03-31' })), { code: 'AdoptionOutOfOrder' })
  t.throws(() => policy().when(adoptPolicy({ adoptedOn: '2026-06-16' })), { code: 'AdoptionDateInFuture' })
  t.equal(policy().when(adoptPolicy({ adoptedOn: '2026-06-15' })).length, 1, 'today (Japan time) is fine')
  const later = policy(policyAdopted).when(adoptPolicy({ version: '2026.2', adoptedOn: '2026-04-01' }))
  t.match(later, [{ data: { version: '2026.2' } }])
})

t.test('standards need a basic policy first', async (t) => {
  t.throws(() => policy().when(adoptStandards()), { code: 'BasicPolicyRequired' })
  t.throws(() => policy().when(review()), { code: 'BasicPolicyRequired' })
})

t.test('standards covering the whole baseline are adopted under the policy in force', async (t) => {
  const [event] = policy(policyAdopted).when(adoptStandards())
  t.match(event, { type: 'StandardsAdopted', data: { version: 'S-2026.1', edition: 'R3', basicPolicyVersion: '2026.1', by: 'ciso-1' } })
  t.equal(event?.type === 'StandardsAdopted' && event.data.items.length, fullItems('R3').length)
})

t.test('a code repeated within an item is recorded once', async (t) => {
  const items = [{ itemId: 'all', title: 'Everything', covers: [...baselineItems('R3'), '2.2.3'] }]
  const [event] = policy(policyAdopted).when(adoptStandards({ items }))
  t.same(event?.type === 'StandardsAdopted' && event.data.items[0]?.covers, baselineItems('R3'))
})

t.test('unknown Common Standards items are listed with the own item naming them', async (t) => {
  const items = [...fullItems('R3'), { itemId: 'x', title: 'Shared systems', covers: ['8.3', '9.9'] }]
  t.throws(() => policy(policyAdopted).when(adoptStandards({ items })), {
    code: 'UnknownStandardsItem', details: { edition: 'R3', unknown: [{ itemId: 'x', code: '8.3' }, { itemId: 'x', code: '9.9' }] },
  })
  t.equal(policy(policyAdopted).when(adoptStandards({ edition: 'R5', items: [...fullItems('R5')] })).length, 1, '8.3 exists in R5')
})

t.test('standards that leave baseline items uncovered are refused with the missing items', async (t) => {
  const items = fullItems('R3').filter((i) => !['2.2.3', '7.10'].includes(i.covers[0] ?? ''))
  t.throws(() => policy(policyAdopted).when(adoptStandards({ items })), { code: 'BaselineNotCovered', details: { edition: 'R3', missing: ['2.2.3', '7.10'] } })
  t.throws(() => policy(policyAdopted).when(adoptStandards({ edition: 'R5' })), { code: 'BaselineNotCovered', details: { missing: ['8.3'] } }, 'R3 mapping misses the R5 item')
})

t.test('standards versions are new and not dated before the basic policy', async (t) => {
  const [adopted] = policy(policyAdopted).when(adoptStandards())
  if (!adopted) throw new Error('no event')
  t.throws(() => policy(policyAdopted, adopted).when(adoptStandards()), { code: 'VersionAlreadyAdopted', details: { document: 'STANDARDS' } })
  t.throws(() => policy(policyAdopted).when(adoptStandards({ adoptedOn: '2026-03-01' })), { code: 'AdoptionOutOfOrder' })
  t.throws(() => policy(policyAdopted).when(adoptStandards({ adoptedOn: '2026-07-01' })), { code: 'AdoptionDateInFuture' })
})

t.test('a review records the documents in force', async (t) => {
  const [standards] = policy(policyAdopted).when(adoptStandards())
  if (!standards) throw new Error('no event')
  t.same(policy(policyAdopted, standards).when(review('REVISION_NEEDED')), [{
    type: 'PolicyReviewed',
    data: { reviewId: 'r-1', outcome: 'REVISION_NEEDED', notes: 'risk picture changed', basicPolicyVersion: '2026.1', standardsVersion: 'S-2026.1', by: 'ciso-1', at: NOW },
  }])
})
