// REST end to end for policy documents (Art. 4) and risk (Art. 3): commands through the catalogue,
// reads through the policy, risks and reviews-due read models; roles, visibility, review flags.
import t from 'tap'
import { baselineItems } from '../../src/domain/shared/common-standards.js'
import { startTestApp } from '../helpers/app.js'

let now = new Date('2026-06-15T10:00:00+09:00')
const h = await startTestApp(t, { clock: { now: () => now } })
await h.agency('mof')
await h.agency('ipa', 'INCORPORATED_ADMINISTRATIVE_AGENCY', 'mof')
await h.agency('mic')
const ciso = await h.token('mof', ['CISO'], 'boss')
const chair = await h.token('mof', ['COMMITTEE_CHAIR'], 'chair')
const gso = await h.token('mof', ['GENERAL_SECURITY_OFFICER'], 'tanaka')
const officer = await h.token('mof', ['GENERAL_SECURITY_OFFICER'], 'sato')
const unitOfficer = await h.token('mof', ['SECURITY_OFFICER'], 'kimura')
const csirt = await h.token('mof', ['CSIRT_HEAD'], 'kobayashi')
const employee = await h.token('mof', [], 'suzuki')
const ipa = await h.token('ipa', ['CISO'], 'ito')
const mic = await h.token('mic', ['CISO', 'GENERAL_SECURITY_OFFICER'], 'kato')

const auth = (token: string) => ({ authorization: `Bearer ${token}` })
async function post(token: string, url: string, payload: object, headers: Record<string, string> = {}) {
  const res = await h.app.inject({ method: 'POST', url, headers: { ...auth(token), ...headers }, payload })
  return { status: res.statusCode, body: res.json() }
}
async function get(token: string, url: string) {
  const res = await h.app.inject({ method: 'GET', url, headers: auth(token) })
  return { status: res.statusCode, body: res.json() }
}

const basicPolicy = { version: '2026.1', title: 'MOF basic policy', summary: 'What we protect and how', adoptedOn: '2026-04-01' }
const items = (edition: 'R3' | 'R5', drop: string[] = []) => [
  { itemId: '1', title: 'General provisions', covers: ['1.1', '1.2', '1.3'] },
  ...baselineItems(edition).filter((c) => !drop.includes(c)).map((code, i) => ({ itemId: `2-${i + 1}`, title: `Rule for ${code}`, covers: [code] })),
]
const standards = { version: 'S-2026.1', edition: 'R3', adoptedOn: '2026-05-01', items: items('R3') }
const risk = { title: 'Phishing of staff', threat: 'Credential theft by spoofed mail', likelihood: 'MEDIUM', impact: 'HIGH', measures: ['mail filtering'], reviewBy: '2026-09-30', systemId: 'mail' }

t.test('the Common Standards are published as data', async (t) => {
  const r5 = await get(employee, '/api/common-standards/R5')
  t.equal(r5.status, 200)
  t.match(r5.body, { edition: 'R5', publishedOn: '2023-07-04', baseline: baselineItems('R5') })
  t.match(r5.body.items.find((i: { code: string }) => i.code === '8.3'), { title: 'Shared government systems', confidence: 'P', chapter: 8 })
  t.same((await get(employee, '/api/common-standards')).body.items.map((e: { edition: string }) => e.edition), ['R3', 'R5'])
  t.equal((await get(employee, '/api/common-standards/R4')).status, 400)
})

t.test('the CISO adopts the basic policy and standards covering the baseline; the read model shows coverage', async (t) => {
  const noPolicy = await post(ciso, '/api/policy/standards', standards)
  t.equal(noPolicy.status, 409)
  t.equal(noPolicy.body.code, 'BasicPolicyRequired')

  const adopted = await post(ciso, '/api/policy/basic-policy', basicPolicy)
  t.equal(adopted.status, 201)
  t.match(adopted.body, { id: '2026.1', streamVersion: 1, replayed: false })

  const gaps = await post(ciso, '/api/policy/standards', { ...standards, items: items('R3', ['2.2.3', '6.4']) })
  t.equal(gaps.status, 422)
  t.match(gaps.body, { code: 'BaselineNotCovered', edition: 'R3', missing: ['2.2.3', '6.4'], fix: String })
  const unknown = await post(ciso, '/api/policy/standards', { ...standards, items: [...items('R3'), { itemId: '9', title: 'Shared systems', covers: ['8.3'] }] })
  t.equal(unknown.status, 422)
  t.match(unknown.body, { code: 'UnknownStandardsItem', unknown: [{ itemId: '9', code: '8.3' }] })
  t.equal((await h.store.readStream('mof', 'policy')).version, 1, 'refused standards wrote nothing')

  const ok = await post(ciso, '/api/policy/standards', standards)
  t.equal(ok.status, 201)
  t.equal(ok.body.id, 'S-2026.1')
  const again = await post(ciso, '/api/policy/basic-policy', basicPolicy)
  t.equal(again.status, 409)
  t.match(again.body, { code: 'VersionAlreadyAdopted', document: 'BASIC_POLICY', version: '2026.1' })

  const view = await get(gso, `/api/policy?minPosition=${ok.body.position}`)
  t.equal(view.status, 200)
  t.match(view.body, {
    agencyId: 'mof',
    basicPolicy: { version: '2026.1', title: 'MOF basic policy', adoptedOn: '2026-04-01', parentId: null, adoptedBy: 'boss', position: adopted.body.position },
    standards: { version: 'S-2026.1', edition: 'R3', basicPolicyVersion: '2026.1', coverage: { complete: true, gaps: [], baselineCount: baselineItems('R3').length } },
    basicPolicyVersions: [{ version: '2026.1', adoptedOn: '2026-04-01' }],
    standardsVersions: [{ version: 'S-2026.1' }],
    lastReview: null,
  })
  t.match(view.body.standards.coverage.items.find((i: { code: string }) => i.code === '2.2.3'), { inBaseline: true, coveredBy: [String] })
  t.match(view.body.standards.coverage.items.find((i: { code: string }) => i.code === '1.3'), { inBaseline: false, coveredBy: ['1'] })
})

t.test('roles: only the CISO adopts; the committee chair may review; agency-wide officers assess risks', async (t) => {
  const byGso = await post(gso, '/api/policy/basic-policy', { ...basicPolicy, version: '2026.9' })
  t.equal(byGso.status, 403)
  t.match(byGso.body, { code: 'Forbidden', requiredRoles: ['CISO'] })
  t.equal((await post(employee, '/api/policy/reviews', { outcome: 'UNCHANGED', notes: 'x' })).status, 403)
  t.equal((await post(employee, '/api/risks', risk)).status, 403)
  t.equal((await post(chair, '/api/risks', risk)).status, 403)
  t.equal((await post(officer, '/api/risks', risk)).status, 201, 'a general security officer assesses risks')
  const unit = await post(unitOfficer, '/api/risks', risk)
  t.equal(unit.status, 403, "a unit's security officer does not act for the whole agency")
  t.match(unit.body, { code: 'Forbidden', requiredRoles: ['CISO', 'GENERAL_SECURITY_OFFICER'] })
})

t.test('a subordinate body follows an adopted policy of its national organ, which reads it read-only', async (t) => {
  const missing = await post(ipa, '/api/policy/basic-policy', { ...basicPolicy, title: 'IPA policy' })
  t.equal(missing.status, 422)
  t.match(missing.body, { code: 'ParentPolicyRequired', parentId: 'mof' })
  const wrong = await post(ipa, '/api/policy/basic-policy', { ...basicPolicy, title: 'IPA policy', parentPolicyVersion: '2019.1' })
  t.equal(wrong.status, 422)
  t.match(wrong.body, { code: 'UnknownParentPolicy', adoptedVersions: ['2026.1'] })
  const organ = await post(mic, '/api/policy/basic-policy', { ...basicPolicy, parentPolicyVersion: '2026.1' })
  t.equal(organ.status, 422)
  t.equal(organ.body.code, 'ParentPolicyNotAllowed')

  const ok = await post(ipa, '/api/policy/basic-policy', { ...basicPolicy, title: 'IPA policy', parentPolicyVersion: '2026.1' })
  t.equal(ok.status, 201)
  await h.settle('ipa')
  const fromParent = await get(ciso, '/api/policy?agencyId=ipa')
  t.equal(fromParent.status, 200)
  t.match(fromParent.body, { agencyId: 'ipa', basicPolicy: { title: 'IPA policy', parentId: 'mof', parentPolicyVersion: '2026.1', adoptedBy: 'ito' }, standards: null })
  t.equal((await get(ipa, '/api/policy?agencyId=mof')).status, 400, 'a body does not read its parent')
  t.equal((await get(mic, '/api/policy?agencyId=ipa')).status, 400, 'nor does another organ')
  t.same((await get(mic, '/api/policy')).body.basicPolicy, null, "another organ's view is its own (empty) policy")
})

t.test('risks: assessed, listed by level and review date, reassessed, retired', async (t) => {
  const low = await post(gso, '/api/risks', { ...risk, title: 'Lost USB stick', likelihood: 'LOW', impact: 'MEDIUM', reviewBy: '2026-07-31', systemId: undefined })
  const high = await post(gso, '/api/risks', risk)
  t.equal(high.status, 201)
  const id = high.body.id as string
  const one = await get(employee, `/api/risks/${id}?minPosition=${high.body.position}`)
  t.equal(one.status, 200)
  t.match(one.body, { id, agencyId: 'mof', level: 'HIGH', likelihood: 'MEDIUM', impact: 'HIGH', reviewBy: '2026-09-30', reviewOverdue: false, status: 'ACTIVE', assessedBy: 'tanaka', reassessments: 0, systemId: 'mail' })

  const highs = await get(gso, '/api/risks?level=HIGH')
  t.ok(highs.body.items.length >= 1)
  t.ok(highs.body.items.every((r: { level: string }) => r.level === 'HIGH'))
  const lows = await get(gso, '/api/risks?level=LOW,MEDIUM')
  t.same(lows.body.items.map((r: { id: string }) => r.id), [low.body.id])
  t.equal((await get(gso, '/api/risks?level=SEVERE')).status, 400)

  const reassessed = await post(officer, `/api/risks/${id}/reassessment`, { reason: 'measures work', likelihood: 'LOW', measures: ['mail filtering', 'DMARC'] })
  t.equal(reassessed.status, 200)
  const after = await get(gso, `/api/risks/${id}?minPosition=${reassessed.body.position}`)
  t.match(after.body, { level: 'MEDIUM', likelihood: 'LOW', measures: ['mail filtering', 'DMARC'], reassessments: 1, updatedBy: 'sato', version: 2 })
  const same = await post(officer, `/api/risks/${id}/reassessment`, { reason: 'again', likelihood: 'LOW' })
  t.equal(same.status, 422)
  t.equal(same.body.code, 'NothingChanged')
  t.equal((await post(officer, `/api/risks/${id}/reassessment`, { reason: 'nothing named' })).status, 400)
  t.equal((await post(gso, '/api/risks', { ...risk, reviewBy: '2026-06-14' })).body.code, 'ReviewDateInPast')

  const retired = await post(gso, `/api/risks/${low.body.id}/retirement`, { reason: 'USB ports disabled' })
  t.equal(retired.status, 200)
  t.equal((await post(gso, `/api/risks/${low.body.id}/retirement`, { reason: 'again' })).body.code, 'RiskAlreadyRetired')
  const unknownRisk = await post(gso, '/api/risks/6f1c1a4e-8d3b-4a7e-9c55-0a1b2c3d4e5f/retirement', { reason: 'x' })
  t.equal(unknownRisk.status, 404)
  t.equal(unknownRisk.body.code, 'RiskNotFound')
  const active = await get(gso, `/api/risks?retired=false&minPosition=${retired.body.position}`)
  t.notOk(active.body.items.some((r: { id: string }) => r.id === low.body.id))
  t.same((await get(gso, '/api/risks?retired=true')).body.items.map((r: { id: string; status: string; retireReason: string }) => [r.id, r.status, r.retireReason]), [[low.body.id, 'RETIRED', 'USB ports disabled']])
})

t.test('overdue reviews are found as of today; the list pages by review date', async (t) => {
  const a = await post(gso, '/api/risks', { ...risk, title: 'A', reviewBy: '2026-07-01' })
  await post(gso, '/api/risks', { ...risk, title: 'B', reviewBy: '2026-08-01' })
  await h.settle('mof')
  t.same((await get(gso, '/api/risks?overdue=true')).body.items, [])
  now = new Date('2026-07-15T10:00:00+09:00')
  t.teardown(() => { now = new Date('2026-06-15T10:00:00+09:00') })
  const overdue = await get(gso, '/api/risks?overdue=true')
  t.same(overdue.body.items.map((r: { id: string; reviewOverdue: boolean }) => [r.id, r.reviewOverdue]), [[a.body.id, true]])

  const all = (await get(gso, '/api/risks?first=100')).body.items.map((r: { id: string }) => r.id)
  const seen: string[] = []
  let after: string | null = null
  do {
    const page: { body: { items: { id: string; reviewBy: string }[]; pageInfo: { hasNextPage: boolean; endCursor: string | null } } } =
      await get(gso, `/api/risks?first=2${after ? `&after=${after}` : ''}`)
    seen.push(...page.body.items.map((r) => r.id))
    after = page.body.pageInfo.hasNextPage ? page.body.pageInfo.endCursor : null
  } while (after)
  t.same(seen, all, 'pages add up to the whole list, in order')
  t.ok(all.length >= 4)
  t.equal((await get(gso, '/api/risks?after=bogus')).body.code, 'InvalidCursor')
})

t.test('visibility of risks: the national organ reads its bodies; other agencies get 404', async (t) => {
  const own = await post(mic, '/api/risks', { ...risk, title: 'MIC risk' })
  t.equal(own.status, 201)
  await h.settle('mic')
  t.equal((await get(ciso, `/api/risks/${own.body.id}`)).status, 404, "another organ's risk is not found")
  const ipaRisk = await post(ipa, '/api/risks', { ...risk, title: 'IPA risk' })
  await h.settle('ipa')
  t.match((await get(ciso, `/api/risks/${ipaRisk.body.id}`)).body, { agencyId: 'ipa', title: 'IPA risk' })
  t.same((await get(ciso, '/api/risks?agencyId=ipa')).body.items.map((r: { title: string }) => r.title), ['IPA risk'])
  t.equal((await get(ipa, `/api/risks?agencyId=mof`)).status, 400)
  t.same((await get(mic, '/api/risks')).body.items.map((r: { title: string }) => r.title), ['MIC risk'])
  // Commands act on the caller's own agency: mof cannot reassess ipa's risk (not in its log).
  t.equal((await post(gso, `/api/risks/${ipaRisk.body.id}/reassessment`, { reason: 'x', likelihood: 'LOW' })).status, 404)
})

t.test('a risk reassessment or a confirmed incident marks policy and plan due; reviews clear their own flag', async (t) => {
  // A clean start: a policy review and a plan review.
  const plan = await post(gso, '/api/plans', { fiscalYear: 2026, title: 'FY2026 plan', items: [] })
  t.equal(plan.status, 201)
  t.equal((await post(chair, '/api/policy/reviews', { outcome: 'UNCHANGED', notes: 'annual review' })).status, 201, 'the committee chair reviews')
  const planReviewed = await post(ciso, '/api/plans/2026/review', { outcome: 'ON_TRACK', notes: 'ok' })
  t.equal(planReviewed.status, 200)
  const clean = await get(gso, `/api/reviews-due?minPosition=${planReviewed.body.position}`)
  t.match(clean.body, { agencyId: 'mof', policy: { due: false, reasons: [], lastReviewEvent: 'PolicyReviewed', lastReviewedBy: 'chair' }, plan: { due: false, lastReviewEvent: 'PlanReviewed', lastReviewedBy: 'boss' } })

  const assessed = await post(gso, '/api/risks', { ...risk, title: 'Ransomware' })
  const reassessed = await post(officer, `/api/risks/${assessed.body.id}/reassessment`, { reason: 'new campaign', likelihood: 'HIGH' })
  const due = await get(gso, `/api/reviews-due?minPosition=${reassessed.body.position}`)
  for (const subject of ['policy', 'plan'] as const) {
    t.match(due.body[subject], { due: true, reasonCount: 2, dueSince: now.toISOString() }, `${subject} is due`)
    t.same(due.body[subject].reasons.map((r: { eventType: string; streamId: string; position: number }) => [r.eventType, r.streamId, r.position]), [
      ['RiskAssessed', `risk-${assessed.body.id}`, assessed.body.position],
      ['RiskReassessed', `risk-${assessed.body.id}`, reassessed.body.position],
    ])
  }
  t.match((await get(gso, '/api/policy')).body.reviewDue, { due: true, reasonCount: 2 }, 'the policy view says so too')

  const reviewed = await post(ciso, '/api/policy/reviews', { outcome: 'REVISION_NEEDED', notes: 'revise chapter 6' })
  const cleared = await get(gso, `/api/reviews-due?minPosition=${reviewed.body.position}`)
  t.match(cleared.body.policy, { due: false, reasons: [], reasonCount: 0, lastReviewPosition: reviewed.body.position, lastReviewedBy: 'boss' })
  t.match(cleared.body.plan, { due: true, reasonCount: 2 }, "the policy review leaves the plan's flag")
  const policyView = await get(gso, `/api/policy?minPosition=${reviewed.body.position}`)
  t.match(policyView.body.lastReview, { id: reviewed.body.id, outcome: 'REVISION_NEEDED', notes: 'revise chapter 6', basicPolicyVersion: '2026.1', standardsVersion: 'S-2026.1', reviewedBy: 'boss' })

  const planAgain = await post(ciso, '/api/plans/2026/review', { outcome: 'NEEDS_REVISION', notes: 'add ransomware drill' })
  t.match((await get(gso, `/api/reviews-due?minPosition=${planAgain.body.position}`)).body.plan, { due: false, lastReviewPosition: planAgain.body.position })

  // An incident: dismissed reports change nothing; one assessed as an incident marks both.
  const report = { title: 'Odd mail', description: 'Mail with a link', detectedAt: '2026-06-15T09:00:00+09:00' }
  const dismissed = await post(employee, '/api/incidents', report)
  const notIncident = await post(csirt, `/api/incidents/${dismissed.body.incidentId}/triage`, { assessment: 'NOT_INCIDENT', rationale: 'marketing mail' })
  t.equal(notIncident.status, 200)
  t.match((await get(gso, `/api/reviews-due?minPosition=${notIncident.body.position}`)).body, { policy: { due: false }, plan: { due: false } })
  const real = await post(employee, '/api/incidents', report)
  const incident = await post(csirt, `/api/incidents/${real.body.incidentId}/triage`, { assessment: 'INCIDENT', severity: 'high', rationale: 'credentials entered' })
  const afterIncident = await get(gso, `/api/reviews-due?minPosition=${incident.body.position}`)
  for (const subject of ['policy', 'plan'] as const) {
    t.same(afterIncident.body[subject].reasons.map((r: { eventType: string; streamId: string }) => [r.eventType, r.streamId]), [['IncidentTriaged', `incident-${real.body.incidentId}`]])
  }

  // Adopting a new version of the standards also settles the policy's flag.
  const v2 = await post(ciso, '/api/policy/standards', { ...standards, version: 'S-2026.2', edition: 'R5', adoptedOn: '2026-06-15', items: items('R5') })
  t.equal(v2.status, 201)
  t.match((await get(gso, `/api/reviews-due?minPosition=${v2.body.position}`)).body, { policy: { due: false, lastReviewEvent: 'StandardsAdopted' }, plan: { due: true } })
  t.match((await get(gso, '/api/policy')).body.standards, { version: 'S-2026.2', edition: 'R5', coverage: { complete: true } })

  // The national organ sees its body's flags, read-only.
  t.equal((await get(ciso, '/api/reviews-due?agencyId=ipa')).status, 200)
  t.equal((await get(mic, '/api/reviews-due?agencyId=mof')).status, 400)
})

t.test('policy history lists adoptions and reviews, newest first, paged', async (t) => {
  await h.settle('mof')
  const all = await get(gso, '/api/policy/history?first=50')
  t.same(all.body.items.map((e: { type: string; version: string }) => [e.type, e.version]), [
    ['StandardsAdopted', 'S-2026.2'], ['PolicyReviewed', '2026.1'], ['PolicyReviewed', '2026.1'], ['StandardsAdopted', 'S-2026.1'], ['BasicPolicyAdopted', '2026.1'],
  ])
  t.match(all.body.items[1], { outcome: 'REVISION_NEEDED', notes: 'revise chapter 6', by: 'boss' })
  const first = await get(gso, '/api/policy/history?first=2')
  t.equal(first.body.pageInfo.hasNextPage, true)
  const rest = await get(gso, `/api/policy/history?first=50&after=${first.body.pageInfo.endCursor}`)
  t.same([...first.body.items, ...rest.body.items], all.body.items)
  t.equal((await get(gso, '/api/policy/history?after=x')).body.code, 'InvalidCursor')
  t.same((await get(ciso, '/api/policy/history?agencyId=ipa')).body.items.map((e: { type: string }) => e.type), ['BasicPolicyAdopted'])
})

t.test('a retry with the same Idempotency-Key records one risk (and one review), answering the same id', async (t) => {
  const first = await post(gso, '/api/risks', { ...risk, title: 'Idempotent' }, { 'idempotency-key': 'risk-1' })
  const again = await post(gso, '/api/risks', { ...risk, title: 'Idempotent' }, { 'idempotency-key': 'risk-1' })
  t.equal(first.status, 201)
  t.match(again.body, { id: first.body.id, replayed: true, position: first.body.position })
  const other = await post(gso, '/api/risks', { ...risk, title: 'Different' }, { 'idempotency-key': 'risk-1' })
  t.equal(other.body.code, 'IdempotencyKeyReused')
  t.equal((await h.store.readStream('mof', `risk-${first.body.id}`)).version, 1)

  const review = { outcome: 'UNCHANGED', notes: 'quarterly' }
  const r1 = await post(chair, '/api/policy/reviews', review, { 'idempotency-key': 'review-1' })
  const r2 = await post(chair, '/api/policy/reviews', review, { 'idempotency-key': 'review-1' })
  t.equal(r1.status, 201)
  t.match(r2.body, { id: r1.body.id, replayed: true, streamVersion: r1.body.streamVersion })
  t.equal((await h.store.readStream('mof', 'policy')).version, r1.body.streamVersion, 'one review written')
})
