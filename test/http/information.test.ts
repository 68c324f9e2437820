// REST end to end for information assets (Art. 12–14): classification, the decider rule, restrictions,
// checked steps (refused and recorded, permitted by an approved exception), copies, deletion, providing
// to another agency and taking it in, visibility across agencies.
import t from 'tap'
import { silentLogger, startTestApp } from '../helpers/app.js'
import { Scheduler } from '../../src/scheduler/scheduler.js'

let now = new Date('2026-06-15T10:00:00+09:00')
const h = await startTestApp(t, { clock: { now: () => now } })
await h.agency('mof')
await h.agency('ipa', 'INCORPORATED_ADMINISTRATIVE_AGENCY', 'mof')
await h.agency('mic')
await h.admin('mof', 'defineArea', { areaId: 'secure-room', name: 'Secure room' })
const sato = await h.token('mof', [], 'sato')
const suzuki = await h.token('mof', [], 'suzuki')
const officer = await h.token('mof', ['SECURITY_OFFICER'], 'kato')
const approver = await h.token('mof', ['EXCEPTION_APPROVER'], 'approver')
const kimura = await h.token('mic', [], 'kimura')
const ipaUser = await h.token('ipa', [], 'ito')

const auth = (token: string) => ({ authorization: `Bearer ${token}` })
async function post(token: string, url: string, payload: object, headers: Record<string, string> = {}) {
  const res = await h.app.inject({ method: 'POST', url, headers: { ...auth(token), ...headers }, payload })
  return { status: res.statusCode, body: res.json() }
}
async function get(token: string, url: string) {
  const res = await h.app.inject({ method: 'GET', url, headers: auth(token) })
  return { status: res.statusCode, body: res.json() }
}
const secret = { title: 'Negotiation brief', ownerUnitId: 'general', medium: 'ELECTRONIC', confidentiality: 3, integrity: 2, availability: 2, how: 'CREATE' }
async function classify(token: string, input: object = secret): Promise<string> {
  const res = await post(token, '/api/information/assets', input)
  if (res.status !== 201) throw new Error(JSON.stringify(res.body))
  return res.body.id
}
const carryOut = { method: 'REMOVABLE_MEDIA', destination: 'ministerial meeting' }

t.test('classifying shows the label and derived flags wherever the asset is shown', async (t) => {
  const res = await post(sato, '/api/information/assets', { ...secret, subLevel: '3A', restrictions: [{ code: 'AUDIENCE_LIMITED', audience: ['mic'] }, { code: 'RECOVER_WITHIN', duration: 'PT4H' }] })
  t.equal(res.status, 201)
  const asset = await get(suzuki, `/api/information/assets/${res.body.id}?minPosition=${res.body.position}`)
  t.equal(asset.status, 200)
  t.match(asset.body, {
    id: res.body.id, agencyId: 'mof', label: 'C3I2A2', subLevel: '3A', medium: 'ELECTRONIC', decider: 'sato', decidedBy: 'sato', createdBy: 'sato', deleted: false,
    flags: { needsConfidentiality: true, needsIntegrity: true, needsAvailability: true, needsProtection: true },
    restrictions: [{ code: 'AUDIENCE_LIMITED', audience: ['mic'] }, { code: 'RECOVER_WITHIN', duration: 'PT4H' }], origin: { how: 'CREATE' },
  })
  const paper = await post(sato, '/api/information/assets', { ...secret, medium: 'PAPER' })
  t.match(paper, { status: 422, body: { code: 'ClassNotApplicableToPaper' } })
  const c2 = await post(sato, '/api/information/assets', { title: 'Memo', ownerUnitId: 'general', medium: 'PAPER', confidentiality: 2, how: 'OBTAIN', source: 'a briefing by MIC' })
  t.equal((await get(sato, `/api/information/assets/${c2.body.id}?minPosition=${c2.body.position}`)).body.label, 'C2')
  t.match(await post(sato, '/api/information/assets', { ...secret, ownerUnitId: 'nowhere' }), { status: 422, body: { code: 'UnknownUnit' } })
  t.match(await post(sato, '/api/information/assets', { ...secret, restrictions: [{ code: 'NO_COPY', audience: ['x'] }] }), { status: 400, body: { code: 'ValidationFailed' } })
})

t.test('a C3 document carried out without permission is refused, recorded, and permitted by an approved exception', async (t) => {
  const id = await classify(sato, { ...secret, restrictions: [{ code: 'NO_TAKE_OUT' }] })
  const refused = await post(suzuki, `/api/information/assets/${id}/carry-outs`, carryOut)
  t.equal(refused.status, 409)
  t.match(refused.body, { code: 'NoTakeOut', rules: ['NoTakeOut', 'UnsafeCarry'], assetId: id, step: 'CARRY', fix: /exception/ })
  const blocked = await get(sato, `/api/information/blocked?rule=NoTakeOut&minPosition=${refused.body.position}`)
  t.match(blocked.body.items, [{ assetId: id, step: 'CARRY', rules: ['NoTakeOut', 'UnsafeCarry'], blockedBy: 'suzuki', ownerUnitId: 'general', stepId: refused.body.stepId }])

  const from = new Date(now.getTime() - 3_600_000).toISOString()
  const to = new Date(now.getTime() + 86_400_000).toISOString()
  const request = await post(suzuki, '/api/exceptions', {
    clause: '3.1.1', rules: ['NoTakeOut', 'UnsafeCarry'], assetIds: [id], from, to, measures: 'carry it by hand to the meeting', compensatingMeasures: ['kept on the person'],
    securityImpact: 'loss of the medium', impactHandling: 'report at once', endReportMethod: 'mail to the approver', reason: 'the minister needs it',
  })
  t.equal(request.status, 201, JSON.stringify(request.body))
  const exceptionId = request.body.id
  t.equal((await post(approver, `/api/exceptions/${exceptionId}/examination`, {})).status, 200)
  t.equal((await post(approver, `/api/exceptions/${exceptionId}/approval`, { reasons: 'needed for the negotiation' })).status, 200)
  await h.settle('mof') // coverage takes its candidates from the exception ledger

  const permitted = await post(suzuki, `/api/information/assets/${id}/carry-outs`, carryOut)
  t.equal(permitted.status, 200, JSON.stringify(permitted.body))
  const history = await get(sato, `/api/information/assets/${id}/history?minPosition=${permitted.body.position}`)
  t.same(history.body.items.map((e: { type: string }) => e.type), ['InformationClassified', 'InformationStepBlocked', 'InformationStepRecorded'])
  t.same(history.body.items[1].exceptionIds, [])
  t.match(history.body.items[2], {
    step: 'CARRY', exceptionIds: [exceptionId], actor: { id: 'suzuki' },
    data: { exceptions: [{ rule: 'NoTakeOut', exceptionId }, { rule: 'UnsafeCarry', exceptionId }], marking: { classes: { confidentiality: 3 } } },
  })
  t.same(history.body.items[1].rules, ['NoTakeOut', 'UnsafeCarry'])

  now = new Date(now.getTime() + 2 * 86_400_000)
  t.match(await post(suzuki, `/api/information/assets/${id}/carry-outs`, carryOut), { status: 409, body: { code: 'NoTakeOut' } }, 'after its period the exception covers nothing')

  // No end report came: the scheduler's next pass makes the exception overdue, once.
  const scheduler = new Scheduler({ services: { store: h.store, clock: { now: () => now }, pool: h.db.app.pool }, logger: silentLogger })
  t.match(await scheduler.tick(), { overdue: [{ agencyId: 'mof', exceptionId }] })
  t.match(await scheduler.tick(), { overdue: [] }, 'a second pass appends nothing')
  await h.settle('mof')
  const ledger = await get(sato, '/api/exceptions?overdue=true')
  t.match(ledger.body.items, [{ id: exceptionId, status: 'OVERDUE', overdue: true }])
})

t.test('a refused step retried with its Idempotency-Key answers the same refusal and records it once', async (t) => {
  const id = await classify(sato, { ...secret, restrictions: [{ code: 'NO_TAKE_OUT' }] })
  const first = await post(suzuki, `/api/information/assets/${id}/carry-outs`, carryOut, { 'idempotency-key': 'carry-1' })
  const again = await post(suzuki, `/api/information/assets/${id}/carry-outs`, carryOut, { 'idempotency-key': 'carry-1' })
  t.equal(again.status, 409)
  t.equal(again.body.position, first.body.position)
  t.equal((await h.store.readStream('mof', `asset-${id}`)).version, 2, 'one refusal recorded')
  const newest = await get(sato, `/api/information/blocked?first=1&minPosition=${first.body.position}`)
  t.match(newest.body, { items: [{ assetId: id, stepId: first.body.stepId }], pageInfo: { hasNextPage: true } })
  const older = await get(sato, `/api/information/blocked?first=1&after=${newest.body.pageInfo.endCursor}`)
  t.not(older.body.items[0].stepId, first.body.stepId, 'the next page goes on with older refusals')
  const c1 = await post(sato, '/api/information/assets', secret, { 'idempotency-key': 'asset-1' })
  const c2 = await post(sato, '/api/information/assets', secret, { 'idempotency-key': 'asset-1' })
  t.match(c2, { status: 201, body: { id: c1.body.id, replayed: true } })
})

t.test('only the decider reclassifies and restricts; the decider hands over, an officer only once they left', async (t) => {
  const id = await classify(sato)
  t.match(await post(suzuki, `/api/information/assets/${id}/reclassification`, { confidentiality: 2, integrity: 2, availability: 2, reason: 'x' }), { status: 403, body: { code: 'NotClassificationDecider', decider: 'sato' } })
  t.match(await post(suzuki, `/api/information/assets/${id}/restrictions`, { restrictions: [{ code: 'NO_COPY' }] }), { status: 403, body: { code: 'NotClassificationDecider' } })
  t.match(await post(officer, `/api/information/assets/${id}/handover`, { successorId: 'suzuki', reason: 'sato moves' }), { status: 409, body: { code: 'DeciderStillEmployed' } })
  t.equal((await post(sato, `/api/information/assets/${id}/handover`, { successorId: 'suzuki', reason: 'sato moves' })).status, 200)
  t.match(await post(sato, `/api/information/assets/${id}/reclassification`, { confidentiality: 1, integrity: 1, availability: 1, reason: 'x' }), { status: 403 })
  const ok = await post(suzuki, `/api/information/assets/${id}/reclassification`, { confidentiality: 2, integrity: 1, availability: 1, reason: 'partly published' })
  t.equal(ok.status, 200)
  t.match((await get(sato, `/api/information/assets/${id}?minPosition=${ok.body.position}`)).body, { label: 'C2I1A1', decider: 'suzuki', decidedBy: 'sato', flags: { needsIntegrity: false, needsConfidentiality: true } })

  await h.employee('mof', 'tanaka', 'general')
  t.equal((await post(suzuki, `/api/information/assets/${id}/handover`, { successorId: 'tanaka', reason: 'suzuki moves' })).status, 200)
  await h.admin('mof', 'recordDeparture', { on: '2026-06-01', reason: 'retired' }, { employeeId: 'tanaka' })
  const byOfficer = await post(officer, `/api/information/assets/${id}/handover`, { successorId: 'sato', reason: 'tanaka left' })
  t.equal(byOfficer.status, 200, JSON.stringify(byOfficer.body))
  t.match((await get(sato, `/api/information/assets/${id}?minPosition=${byOfficer.body.position}`)).body, { decider: 'sato' })
})

t.test('uses need a defined controlled area for C3; copies inherit; deleted assets take no steps', async (t) => {
  const id = await classify(sato, { ...secret, restrictions: [{ code: 'RETAIN_UNTIL', date: '2026-01-31' }] })
  t.match(await post(suzuki, `/api/information/assets/${id}/uses`, { purpose: 'read', areaId: 'nowhere' }), { status: 422, body: { code: 'UnknownArea' } })
  t.match(await post(suzuki, `/api/information/assets/${id}/uses`, { purpose: 'read' }), { status: 409, body: { code: 'C3OutsideControlledArea' } })
  t.equal((await post(suzuki, `/api/information/assets/${id}/uses`, { purpose: 'read', areaId: 'secure-room' })).status, 200)
  t.match(await post(suzuki, `/api/information/assets/${id}/publications`, { channel: 'website' }), { status: 409, body: { code: 'PublishNotC1' } })

  const copy = await post(suzuki, `/api/information/assets/${id}/copies`, { medium: 'PAPER', title: 'Printout' })
  t.equal(copy.status, 201, JSON.stringify(copy.body))
  t.not(copy.body.id, id)
  t.match((await get(suzuki, `/api/information/assets/${copy.body.id}?minPosition=${copy.body.position}`)).body, {
    label: 'C3', medium: 'PAPER', title: 'Printout', decider: 'sato', createdBy: 'suzuki', origin: { how: 'COPY', sourceAssetId: id }, restrictions: [{ code: 'RETAIN_UNTIL', date: '2026-01-31' }],
  })
  const noCopy = await classify(sato, { ...secret, restrictions: [{ code: 'NO_COPY' }] })
  t.match(await post(suzuki, `/api/information/assets/${noCopy}/copies`, {}), { status: 409, body: { code: 'NoCopy' } })

  t.match(await post(suzuki, `/api/information/assets/${id}/deletion`, { method: 'FILE_DELETION', irrecoverable: false }), { status: 409, body: { code: 'RecoverableErasure' } })
  const deleted = await post(suzuki, `/api/information/assets/${id}/deletion`, { method: 'CRYPTO_ERASE', irrecoverable: true, mediaDisposal: 'keys destroyed' })
  t.equal(deleted.status, 200)
  t.match(await post(suzuki, `/api/information/assets/${id}/uses`, { purpose: 'read', areaId: 'secure-room' }), { status: 409, body: { code: 'AssetDeleted' } })
  const list = await get(sato, `/api/information/assets?deleted=true&minPosition=${deleted.body.position}`)
  t.same(list.body.items.map((a: { id: string }) => a.id), [id])
})

t.test('assets are filtered by unit, medium, class, flag (also in Japanese) and restriction, and paged', async (t) => {
  await h.unit('mof', 'archive')
  const paper = await classify(sato, { title: 'Ledger', ownerUnitId: 'archive', medium: 'PAPER', confidentiality: 1, how: 'CREATE', restrictions: [{ code: 'CUSTOM', label: 'no photos', customCode: 'X-NO-PHOTO' }] })
  const open = await classify(sato, { title: 'Leaflet', ownerUnitId: 'archive', medium: 'ELECTRONIC', confidentiality: 1, integrity: 2, availability: 1, how: 'CREATE' })
  await h.settle('mof')
  const ids = async (query: string) => (await get(sato, `/api/information/assets?${query}`)).body.items.map((a: { id: string }) => a.id)
  t.same(await ids('ownerUnitId=archive'), [open, paper])
  t.same(await ids('ownerUnitId=archive&medium=PAPER'), [paper])
  t.same(await ids(`ownerUnitId=archive&flag=${encodeURIComponent('要保全')}`), [open])
  t.same(await ids('ownerUnitId=archive&flag=PROTECTION_REQUIRED'), [open])
  t.same(await ids('ownerUnitId=archive&minConfidentiality=2'), [])
  t.same(await ids('ownerUnitId=archive&restriction=X-NO-PHOTO'), [paper])
  t.same(await ids('ownerUnitId=archive&restriction=CUSTOM'), [paper])
  const page1 = await get(sato, '/api/information/assets?ownerUnitId=archive&first=1')
  t.match(page1.body, { items: [{ id: open }], pageInfo: { hasNextPage: true } })
  const page2 = await get(sato, `/api/information/assets?ownerUnitId=archive&first=1&after=${page1.body.pageInfo.endCursor}`)
  t.match(page2.body, { items: [{ id: paper }], pageInfo: { hasNextPage: false } })
  t.match(await get(sato, '/api/information/assets?flag=SECRET'), { status: 400 })
  t.match(await get(sato, '/api/information/assets?after=nonsense'), { status: 400, body: { code: 'InvalidCursor' } })
})

t.test('provided information travels with its classes and restrictions; the receiver takes it in', async (t) => {
  const id = await classify(sato, { ...secret, restrictions: [{ code: 'NO_COPY' }] })
  t.match(await post(sato, `/api/information/assets/${id}/provisions`, { toAgencyId: 'mof', recipient: 'x', purpose: 'y' }), { status: 422, body: { code: 'OwnAgencyRecipient' } })
  t.match(await post(sato, `/api/information/assets/${id}/provisions`, { toAgencyId: 'nowhere', recipient: 'x', purpose: 'y' }), { status: 422, body: { code: 'UnknownAgency' } })
  const provided = await post(sato, `/api/information/assets/${id}/provisions`, { toAgencyId: 'mic', recipient: 'MIC cyber division', purpose: 'joint negotiation' })
  t.equal(provided.status, 200)
  await h.settle('mof')
  const received = await get(kimura, '/api/information/received')
  t.match(received.body.items, [{
    agencyId: 'mic', fromAgencyId: 'mof', assetId: id, label: 'C3I2A2', restrictions: [{ code: 'NO_COPY' }], decider: 'sato', providedBy: 'sato', recipient: 'MIC cyber division', acceptedAssetId: null,
  }])
  t.same((await get(sato, '/api/information/received')).body.items, [], 'the provider did not receive it')
  t.match(await post(ipaUser, '/api/information/received/acceptance', { fromAgencyId: 'mof', assetId: id, ownerUnitId: 'general' }), { status: 404, body: { code: 'ProvidedInformationNotFound' } })

  const accepted = await post(kimura, '/api/information/received/acceptance', { fromAgencyId: 'mof', assetId: id, ownerUnitId: 'general' })
  t.equal(accepted.status, 201, JSON.stringify(accepted.body))
  t.match((await get(kimura, `/api/information/assets/${accepted.body.id}?minPosition=${accepted.body.position}`)).body, {
    agencyId: 'mic', label: 'C3I2A2', restrictions: [{ code: 'NO_COPY' }], decider: 'kimura', origin: { how: 'RECEIVE', fromAgencyId: 'mof', fromAssetId: id, providedBy: 'sato' },
  })
  t.match((await get(kimura, '/api/information/received?accepted=true')).body.items, [{ assetId: id, acceptedAssetId: accepted.body.id }])
  t.match(await post(kimura, '/api/information/received/acceptance', { fromAgencyId: 'mof', assetId: id, ownerUnitId: 'general' }), { status: 409, body: { code: 'AlreadyAccepted' } })
  t.match(await post(kimura, `/api/information/assets/${accepted.body.id}/copies`, {}), { status: 409, body: { code: 'NoCopy' } }, 'the restriction binds the receiver too')
})

t.test('what travelled is a floor for the receiver; re-provided information is taken in again; received information is forwarded', async (t) => {
  const id = await classify(sato, { ...secret, confidentiality: 2, restrictions: [{ code: 'NO_FORWARD' }, { code: 'AUDIENCE_LIMITED', audience: ['mic', 'mof'] }] })
  const first = await post(sato, `/api/information/assets/${id}/provisions`, { toAgencyId: 'mic', recipient: 'MIC', purpose: 'joint work' })
  t.equal(first.status, 200, JSON.stringify(first.body))
  const taken = await post(kimura, '/api/information/received/acceptance', { fromAgencyId: 'mof', assetId: id, ownerUnitId: 'general' })
  t.equal(taken.status, 201)
  const mine = taken.body.id
  t.match(await post(kimura, `/api/information/assets/${mine}/restrictions`, { restrictions: [{ code: 'NO_FORWARD' }] }), { status: 409, body: { code: 'InheritedMarking', restrictions: ['AUDIENCE_LIMITED'] } })
  t.match(await post(kimura, `/api/information/assets/${mine}/reclassification`, { confidentiality: 1, integrity: 2, availability: 2, reason: 'x' }), { status: 409, body: { code: 'InheritedMarking' } })
  const added = await post(kimura, `/api/information/assets/${mine}/restrictions`, { restrictions: [{ code: 'NO_FORWARD' }, { code: 'AUDIENCE_LIMITED', audience: ['mic', 'mof'] }, { code: 'NO_COPY' }] })
  t.equal(added.status, 200, 'adding one is fine')
  const sendOn = { channel: 'EMAIL', recipient: 'mof', toOutsideGovernment: false, encrypted: true }
  t.match(await post(kimura, `/api/information/assets/${mine}/sendings`, sendOn), { status: 409, body: { code: 'NoForward' } }, 'received information sent on is forwarded')

  const again = await post(sato, `/api/information/assets/${id}/provisions`, { toAgencyId: 'mic', recipient: 'MIC', purpose: 'the revised text' })
  t.equal(again.status, 200)
  const retaken = await post(kimura, '/api/information/received/acceptance', { fromAgencyId: 'mof', assetId: id, ownerUnitId: 'general' })
  t.equal(retaken.status, 201, JSON.stringify(retaken.body))
  t.not(retaken.body.id, mine, 'a new provision is a new asset of the receiver')
  t.match(await post(kimura, '/api/information/received/acceptance', { fromAgencyId: 'mof', assetId: id, ownerUnitId: 'general' }), { status: 409, body: { code: 'AlreadyAccepted' } })
  await h.settle('mof')
  await h.settle('mic')
  const received = (await get(kimura, `/api/information/received?fromAgencyId=mof`)).body.items.filter((r: { assetId: string }) => r.assetId === id)
  t.same(received.map((r: { acceptedAssetId: string }) => r.acceptedAssetId), [retaken.body.id, mine], 'each provision (newest first) with the asset it became')
  t.not(received[0]?.stepId, received[1]?.stepId)
})

t.test('AUDIENCE_LIMITED binds the agency provided to and the recipient of a sending; distribution rules bind sending outside', async (t) => {
  const id = await classify(sato, { ...secret, confidentiality: 1, integrity: 1, availability: 1, restrictions: [{ code: 'AUDIENCE_LIMITED', audience: ['MIC cyber division'] }, { code: 'NO_DISTRIBUTION' }] })
  t.match(await post(sato, `/api/information/assets/${id}/provisions`, { toAgencyId: 'ipa', recipient: 'MIC cyber division', purpose: 'y' }), { status: 409, body: { code: 'NoDistribution', rules: ['NoDistribution', 'AudienceLimited'] } })
  const outside = await post(sato, `/api/information/assets/${id}/sendings`, { channel: 'EMAIL', recipient: 'a newspaper', toOutsideGovernment: true })
  t.match(outside, { status: 409, body: { code: 'SendNoDistribution', rules: ['SendNoDistribution', 'SendAudienceLimited'], fix: /exception/ } })
  t.equal((await post(sato, `/api/information/assets/${id}/sendings`, { channel: 'EMAIL', recipient: 'MIC cyber division', toOutsideGovernment: false })).status, 200, 'to the audience inside the government')
})

t.test('deleting paper records how it was disposed of', async (t) => {
  const id = await classify(sato, { title: 'Draft', ownerUnitId: 'general', medium: 'PAPER', confidentiality: 2, how: 'CREATE' })
  t.match(await post(suzuki, `/api/information/assets/${id}/deletion`, { method: 'SHREDDING', irrecoverable: true }), { status: 422, body: { code: 'MediaDisposalMissing' } })
  t.equal((await post(suzuki, `/api/information/assets/${id}/deletion`, { method: 'SHREDDING', irrecoverable: true, mediaDisposal: 'cross-cut shredder' })).status, 200)
})

t.test('forged cursors and paging values answer 400, never 500', async (t) => {
  const id = await classify(sato)
  await h.settle('mof')
  const forged = (key: object) => Buffer.from(JSON.stringify(key)).toString('base64url')
  const year0 = '0000-01-01T00:00:00Z'
  for (const [path, key] of [
    ['assets', { t: year0, a: 'mof', p: '1' }], ['received', { t: year0, a: 'mic', f: 'mof', p: '1' }], ['blocked', { t: year0, a: 'mof', p: '1' }],
    ['assets', { t: '2026-06-15T00:00:00Z', a: 'm\u0000f', p: '1' }], ['blocked', { t: '2026-06-15T00:00:00Z', a: 'mof', p: '99999999999999999' }],
  ] as const) {
    t.match(await get(sato, `/api/information/${path}?after=${forged(key)}`), { status: 400, body: { code: 'InvalidCursor' } }, `${path} ${JSON.stringify(key)}`)
  }
  t.match(await get(sato, '/api/information/received?after=garbage'), { status: 400, body: { code: 'InvalidCursor' } })
  t.match(await get(sato, '/api/information/blocked?after=garbage'), { status: 400, body: { code: 'InvalidCursor' } })
  for (const after of ['2147483648', '9999999999', '0', 'x']) {
    t.match(await get(sato, `/api/information/assets/${id}/history?after=${after}`), { status: 400, body: { code: 'InvalidCursor' } }, `history after=${after}`)
  }
  t.match(await get(sato, `/api/information/assets/${id}/history?after=2147483647`), { status: 200, body: { items: [] } }, 'the largest stream version is a valid cursor')
  t.match(await get(sato, `/api/information/blocked?from=${year0}`), { status: 400, body: { code: 'ValidationFailed' } })
  t.match(await get(sato, '/api/information/blocked?to=10000-01-01T00:00:00Z'), { status: 400, body: { code: 'ValidationFailed' } })
})

t.test('no access across agencies; a national organ reads its bodies read-only', async (t) => {
  const ipaAsset = await classify(ipaUser, { title: 'IPA plan', ownerUnitId: 'general', medium: 'PAPER', confidentiality: 2, how: 'CREATE' })
  await h.settle('ipa')
  t.match(await get(kimura, `/api/information/assets/${ipaAsset}`), { status: 404, body: { code: 'AssetNotFound' } })
  t.same((await get(kimura, '/api/information/assets?minConfidentiality=2')).body.items.filter((a: { agencyId: string }) => a.agencyId !== 'mic'), [])
  t.match((await get(sato, `/api/information/assets/${ipaAsset}`)).body, { agencyId: 'ipa', label: 'C2' })
  t.match((await get(sato, `/api/information/assets/${ipaAsset}/history`)).body.items, [{ type: 'InformationClassified', actor: { id: 'ito' } }])
  t.ok((await get(sato, '/api/information/assets?agencyId=ipa')).body.items.every((a: { agencyId: string }) => a.agencyId === 'ipa'))
  t.match(await post(sato, `/api/information/assets/${ipaAsset}/uses`, { purpose: 'read' }), { status: 404, body: { code: 'AssetNotFound' } }, 'read-only')
  t.match(await get(kimura, '/api/information/blocked?agencyId=mof'), { status: 400 })
})

t.test('OpenAPI lists every information command and read', async (t) => {
  const paths = (await h.app.inject({ method: 'GET', url: '/openapi.json' })).json().paths
  for (const p of ['assets', 'assets/{assetId}/carry-outs', 'assets/{assetId}/copies', 'assets/{assetId}/handover', 'received/acceptance']) t.ok(paths[`/api/information/${p}`]?.post, `POST ${p}`)
  for (const p of ['assets', 'assets/{id}', 'assets/{id}/history', 'received', 'blocked']) t.ok(paths[`/api/information/${p}`]?.get, `GET ${p}`)
  const restrictions = JSON.stringify(paths['/api/information/assets/{assetId}/restrictions'].post)
  t.match(restrictions, /DESTROY_AFTER_READING, NO_REUSE, NO_REWRITE, RECOVER_WITHIN, STORE_AT and CUSTOM are recorded and shown.*not checked/, 'unchecked restrictions are said to be unchecked')
  t.match(JSON.stringify(paths['/api/information/assets/{assetId}/deletion'].post), /required for paper and for PHYSICAL_DESTRUCTION/)
})
