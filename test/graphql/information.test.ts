// GraphQL end to end for information assets (Art. 12–14): mutations from the catalogue, the refusal
// as an error with the rule code, an approved exception linking the step, and the four queries.
import t from 'tap'
import { startTestApp } from '../helpers/app.js'

const now = new Date('2026-06-15T10:00:00+09:00')
const h = await startTestApp(t, { clock: { now: () => now } })
await h.agency('mof')
await h.agency('ipa', 'INCORPORATED_ADMINISTRATIVE_AGENCY', 'mof')
await h.agency('mic')
const sato = await h.token('mof', [], 'sato')
const suzuki = await h.token('mof', [], 'suzuki')
const approver = await h.token('mof', ['EXCEPTION_APPROVER'], 'approver')
const kimura = await h.token('mic', [], 'kimura')
const ipaUser = await h.token('ipa', [], 'ito')

interface GqlError { message: string; extensions: Record<string, any> & { code: string } }
async function gql(token: string, query: string, variables: object = {}) {
  const res = await h.app.inject({ method: 'POST', url: '/graphql', headers: { authorization: `Bearer ${token}` }, payload: { query, variables } })
  const body = res.json() as { data: Record<string, any> | null; errors?: GqlError[] }
  return { status: res.statusCode, data: body.data, errors: body.errors }
}

const RESULT = '{ id streamVersion position replayed }'
const CLASSIFY = `mutation($input: ClassifyInformationInput!, $key: String) { classifyInformation(input: $input, idempotencyKey: $key) ${RESULT} }`
const CARRY = `mutation($id: ID!, $input: CarryInformationInput!) { carryInformation(assetId: $id, input: $input) ${RESULT} }`
const PROVIDE = `mutation($id: ID!, $input: ProvideInformationInput!) { provideInformation(assetId: $id, input: $input) ${RESULT} }`
const ACCEPT = `mutation($input: AcceptProvidedInformationInput!) { acceptProvidedInformation(input: $input) ${RESULT} }`
const ASSET = `query($id: ID!, $min: Int) { informationAsset(id: $id, minPosition: $min) {
  id agencyId title label medium confidentiality integrity availability subLevel decider decidedBy deleted
  flags { needsConfidentiality needsIntegrity needsAvailability needsProtection codes }
  restrictions { code audience date duration location label customCode }
  origin { how source sourceAssetId fromAgencyId fromAssetId }
  history(first: 10) { edges { cursor node { type step rules exceptionIds actor { id } recordedAt } } pageInfo { hasNextPage endCursor } } } }`

const secret = {
  title: 'Negotiation brief', ownerUnitId: 'general', medium: 'ELECTRONIC', confidentiality: 3, integrity: 2, availability: 1, how: 'CREATE',
  restrictions: [{ code: 'NO_TAKE_OUT' }, { code: 'RETAIN_UNTIL', date: '2031-03-31' }],
}
async function classify(token: string, input: object = secret): Promise<string> {
  const res = await gql(token, CLASSIFY, { input })
  if (!res.data?.classifyInformation) throw new Error(JSON.stringify(res.errors))
  return res.data.classifyInformation.id
}

t.test('classifyInformation records the asset; informationAsset shows label, flags, restrictions and history', async (t) => {
  const res = await gql(sato, CLASSIFY, { input: secret, key: 'k-1' })
  t.match(res.data?.classifyInformation, { streamVersion: 1, replayed: false })
  const again = await gql(sato, CLASSIFY, { input: secret, key: 'k-1' })
  t.match(again.data?.classifyInformation, { id: res.data?.classifyInformation.id, replayed: true })
  const { data } = await gql(suzuki, ASSET, { id: res.data?.classifyInformation.id, min: res.data?.classifyInformation.position })
  t.match(data?.informationAsset, {
    agencyId: 'mof', label: 'C3I2A1', integrity: 2, availability: 1, subLevel: null, decider: 'sato', deleted: false,
    flags: { needsConfidentiality: true, needsIntegrity: true, needsAvailability: false, needsProtection: true, codes: ['CONFIDENTIALITY_REQUIRED', 'INTEGRITY_REQUIRED', 'PROTECTION_REQUIRED'] },
    restrictions: [{ code: 'NO_TAKE_OUT', audience: null }, { code: 'RETAIN_UNTIL', date: '2031-03-31' }], origin: { how: 'CREATE', source: null },
  })
  t.match(data?.informationAsset.history.edges, [{ cursor: '1', node: { type: 'InformationClassified', step: null, actor: { id: 'sato' } } }])
  const paper = await gql(sato, CLASSIFY, { input: { ...secret, medium: 'PAPER' } })
  t.equal(paper.errors?.[0]?.extensions.code, 'ClassNotApplicableToPaper')
  const bad = await gql(sato, CLASSIFY, { input: { ...secret, restrictions: [{ code: 'AUDIENCE_LIMITED' }] } })
  t.equal(bad.errors?.[0]?.extensions.code, 'ValidationFailed')
})

t.test('a refused carry-out answers the rule code and is listed; an approved exception lets it through, linked', async (t) => {
  const id = await classify(sato)
  const refused = await gql(suzuki, CARRY, { id, input: { method: 'REMOVABLE_MEDIA', encrypted: true, destination: 'home' } })
  t.equal(refused.data, null)
  t.match(refused.errors?.[0]?.extensions, { code: 'NoTakeOut', assetId: id, step: 'CARRY' })
  t.same(refused.errors?.[0]?.extensions.rules, ['NoTakeOut'], 'encrypted: only NO_TAKE_OUT is broken')
  const blocked = await gql(sato, `query($min: Int) { blockedInformationSteps(filter: { rule: NoTakeOut, step: CARRY }, minPosition: $min) {
    edges { node { assetId step rules exceptions { rule exceptionId } ownerUnitId blockedBy details } } pageInfo { hasNextPage } } }`, { min: refused.errors?.[0]?.extensions.position })
  t.equal(blocked.data?.blockedInformationSteps.edges.length, 1)
  t.match(blocked.data?.blockedInformationSteps.edges[0].node, { assetId: id, step: 'CARRY', blockedBy: 'suzuki', ownerUnitId: 'general', details: { method: 'REMOVABLE_MEDIA' } })
  t.same(blocked.data?.blockedInformationSteps.edges[0].node.exceptions, [])
  const period = { from: new Date(now.getTime() - 60_000).toISOString(), to: new Date(now.getTime() + 3_600_000).toISOString() }
  const outside = await gql(sato, `query($from: DateTime, $to: DateTime) { blockedInformationSteps(filter: { from: $from, to: $to }) { edges { node { assetId } } } }`, { from: period.to, to: new Date(now.getTime() + 7_200_000).toISOString() })
  t.same(outside.data?.blockedInformationSteps.edges, [], 'nothing blocked in a later period')

  const requested = await gql(suzuki, `mutation($input: RequestExceptionInput!) { requestException(input: $input) ${RESULT} }`, { input: {
    clause: '3.1.1', rules: ['NoTakeOut'], assetIds: [id], ...period, measures: 'hand carry', compensatingMeasures: ['encrypted'], securityImpact: 'loss',
    impactHandling: 'report', endReportMethod: 'mail', reason: 'meeting',
  } })
  const exceptionId = requested.data?.requestException.id
  t.ok(exceptionId, JSON.stringify(requested.errors))
  await gql(approver, `mutation($id: ID!) { startExceptionExamination(exceptionId: $id, input: {}) ${RESULT} }`, { id: exceptionId })
  const approved = await gql(approver, `mutation($id: ID!) { approveException(exceptionId: $id, input: { reasons: "needed" }) ${RESULT} }`, { id: exceptionId })
  t.ok(approved.data?.approveException, JSON.stringify(approved.errors))
  await h.settle('mof')
  const carried = await gql(suzuki, CARRY, { id, input: { method: 'REMOVABLE_MEDIA', encrypted: true, destination: 'home' } })
  t.ok(carried.data?.carryInformation, JSON.stringify(carried.errors))
  const { data } = await gql(sato, ASSET, { id, min: carried.data?.carryInformation.position })
  const nodes = data?.informationAsset.history.edges.map((e: { node: { type: string; step: string | null; rules: string[]; exceptionIds: string[] } }) => [e.node.type, e.node.step, e.node.rules, e.node.exceptionIds])
  t.same(nodes, [
    ['InformationClassified', null, [], []], ['InformationStepBlocked', 'CARRY', ['NoTakeOut'], []], ['InformationStepRecorded', 'CARRY', [], [exceptionId]],
  ])
})

t.test('informationAssets filters and pages; a national organ sees its bodies, others see nothing', async (t) => {
  const ipaAsset = await classify(ipaUser, { title: 'IPA ledger', ownerUnitId: 'general', medium: 'PAPER', confidentiality: 2, how: 'OBTAIN', source: 'a contractor' })
  await h.settle('ipa')
  const LIST = `query($filter: InformationAssetFilter, $after: String) { informationAssets(filter: $filter, first: 1, after: $after) { edges { cursor node { id agencyId label origin { how source } } } pageInfo { hasNextPage endCursor } } }`
  const own = await gql(sato, LIST, { filter: { agencyId: 'ipa', medium: 'PAPER', flags: ['CONFIDENTIALITY_REQUIRED'] } })
  t.match(own.data?.informationAssets, { edges: [{ node: { id: ipaAsset, agencyId: 'ipa', label: 'C2', origin: { how: 'OBTAIN', source: 'a contractor' } } }], pageInfo: { hasNextPage: false } })
  const first = await gql(sato, LIST, { filter: { restriction: 'NO_TAKE_OUT' } })
  t.equal(first.data?.informationAssets.pageInfo.hasNextPage, true)
  const next = await gql(sato, LIST, { filter: { restriction: 'NO_TAKE_OUT' }, after: first.data?.informationAssets.pageInfo.endCursor })
  t.not(next.data?.informationAssets.edges[0].node.id, first.data?.informationAssets.edges[0].node.id)
  t.same((await gql(kimura, LIST, { filter: {} })).data?.informationAssets.edges, [])
  t.equal((await gql(kimura, ASSET, { id: ipaAsset })).data?.informationAsset, null)
  t.equal((await gql(kimura, LIST, { filter: { agencyId: 'mof' } })).errors?.[0]?.extensions.code, 'ValidationFailed')
})

t.test('provided information shows up for the receiver and is taken in', async (t) => {
  const id = await classify(sato)
  const provided = await gql(sato, PROVIDE, { id, input: { toAgencyId: 'mic', recipient: 'MIC', purpose: 'joint work' } })
  t.ok(provided.data?.provideInformation, JSON.stringify(provided.errors))
  await h.settle('mof')
  const RECEIVED = `{ receivedInformation { edges { node { fromAgencyId assetId label flags { needsConfidentiality } restrictions { code date } decider acceptedAssetId } } } }`
  t.match((await gql(kimura, RECEIVED)).data?.receivedInformation.edges, [{ node: { fromAgencyId: 'mof', assetId: id, label: 'C3I2A1', restrictions: [{ code: 'NO_TAKE_OUT' }, { code: 'RETAIN_UNTIL', date: '2031-03-31' }], acceptedAssetId: null } }])
  const accepted = await gql(kimura, ACCEPT, { input: { fromAgencyId: 'mof', assetId: id, ownerUnitId: 'general' } })
  t.ok(accepted.data?.acceptProvidedInformation, JSON.stringify(accepted.errors))
  await h.settle('mic')
  t.match((await gql(kimura, RECEIVED)).data?.receivedInformation.edges, [{ node: { acceptedAssetId: accepted.data?.acceptProvidedInformation.id } }])
  const refused = await gql(kimura, CARRY, { id: accepted.data?.acceptProvidedInformation.id, input: { method: 'PAPER', sealed: true, destination: 'x' } })
  t.equal(refused.errors?.[0]?.extensions.code, 'NoTakeOut', 'the restrictions travelled with it')
  t.equal((await gql(ipaUser, ACCEPT, { input: { fromAgencyId: 'mof', assetId: id, ownerUnitId: 'general' } })).errors?.[0]?.extensions.code, 'ProvidedInformationNotFound')
})

t.test('forged cursors, out-of-range instants and stream versions answer InvalidCursor or ValidationFailed, never an internal error', async (t) => {
  const id = await classify(sato)
  await h.settle('mof')
  const forged = (key: object) => Buffer.from(JSON.stringify(key)).toString('base64url')
  const year0 = '0000-01-01T00:00:00Z'
  const code = async (query: string, variables: object) => (await gql(sato, query, variables)).errors?.[0]?.extensions.code
  const ASSETS = 'query($after: String) { informationAssets(after: $after) { edges { cursor } } }'
  const RECEIVED = 'query($after: String) { receivedInformation(after: $after) { edges { cursor } } }'
  const BLOCKED = 'query($after: String, $from: DateTime) { blockedInformationSteps(after: $after, filter: { from: $from }) { edges { cursor } } }'
  const HISTORY = 'query($id: ID!, $after: String) { informationAsset(id: $id) { history(after: $after) { edges { cursor } } } }'
  t.equal(await code(ASSETS, { after: forged({ t: year0, a: 'mof', p: '1' }) }), 'InvalidCursor')
  t.equal(await code(ASSETS, { after: 'garbage' }), 'InvalidCursor')
  t.equal(await code(RECEIVED, { after: forged({ t: year0, a: 'mof', f: 'mic', p: '1' }) }), 'InvalidCursor')
  t.equal(await code(BLOCKED, { after: forged({ t: year0, a: 'mof', p: '1' }) }), 'InvalidCursor')
  t.equal(await code(BLOCKED, { from: year0 }), 'ValidationFailed')
  for (const after of ['2147483648', '9999999999']) t.equal(await code(HISTORY, { id, after }), 'InvalidCursor', `history after ${after}`)
  const last = await gql(sato, HISTORY, { id, after: '2147483647' })
  t.same(last.data?.informationAsset.history.edges, [], 'the largest stream version is a valid cursor')
})

t.test('the SDL says which restrictions are checked and which are only recorded', async (t) => {
  const { data } = await gql(sato, '{ __type(name: "HandlingRestrictionCode") { description } }')
  t.match(data?.__type.description, /DESTROY_AFTER_READING, NO_REUSE, NO_REWRITE, RECOVER_WITHIN, STORE_AT and CUSTOM are recorded and shown/)
  t.match(data?.__type.description, /they are not checked/)
})

t.test('SEND checks the distribution rules and the audience; the rule codes are in the SDL', async (t) => {
  const id = await classify(sato, { ...secret, restrictions: [{ code: 'DISTRIBUTION_NEEDS_PERMISSION' }] })
  const SEND = `mutation($id: ID!, $input: SendInformationInput!) { sendInformation(assetId: $id, input: $input) ${RESULT} }`
  const refused = await gql(suzuki, SEND, { id, input: { channel: 'EMAIL', recipient: 'a contractor', toOutsideGovernment: true, encrypted: true } })
  t.match(refused.errors?.[0]?.extensions, { code: 'SendDistributionWithoutPermission', rules: ['SendDistributionWithoutPermission'] })
  const blocked = await gql(sato, `query($min: Int) { blockedInformationSteps(filter: { rule: SendDistributionWithoutPermission }, minPosition: $min) { edges { node { assetId rules } } } }`,
    { min: refused.errors?.[0]?.extensions.position })
  t.match(blocked.data?.blockedInformationSteps.edges, [{ node: { assetId: id, rules: ['SendDistributionWithoutPermission'] } }], JSON.stringify(blocked.errors))
})
