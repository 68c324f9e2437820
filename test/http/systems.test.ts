// REST end to end for the information system ledger and lifecycle (Art. 17–18): register (planning) →
// procurement refused (requirements not approved) → approved by someone else (SelfApproval otherwise) →
// construction → acceptance → operation refused (ledger incomplete, listing the fields) → completed →
// operation → disposal → retirement refused (erasure) → confirmed → retired → every command refused.
// Then the ledger with its filters and pages, one system with its history, and who may do what: an
// employee gets 403, the security officer of another system 403, another agency sees nothing.
import t from 'tap'
import { loadSystem } from '../../src/application/system-lookups.js'
import { startTestApp } from '../helpers/app.js'

const now = new Date('2026-07-01T10:00:00+09:00')
const h = await startTestApp(t, { clock: { now: () => now } })
await h.agency('mof')
await h.agency('ipa', 'INCORPORATED_ADMINISTRATIVE_AGENCY', 'mof')
await h.agency('mic')
for (const [id, unit] of [['sato', 'it'], ['oda', 'it'], ['ito', 'hr']] as const) await h.employee('mof', id, unit)
await h.admin('mof', 'assignRole', { employeeId: 'sato', role: 'SYSTEM_SECURITY_OFFICER', scope: { kind: 'SYSTEM', systemId: 'SYS-1' }, from: '2020-04-01' })
await h.admin('mof', 'assignRole', { employeeId: 'oda', role: 'SYSTEM_SECURITY_OFFICER', scope: { kind: 'SYSTEM', systemId: 'SYS-2' }, from: '2020-04-01' })
const sato = await h.token('mof', [], 'sato')
const oda = await h.token('mof', [], 'oda')
const gso = await h.token('mof', ['GENERAL_SECURITY_OFFICER'], 'tanaka')
const ciso = await h.token('mof', ['CISO'], 'boss')
const employee = await h.token('mof', ['EMPLOYEE'], 'ito')
const mic = await h.token('mic', ['CISO'], 'kato')
const ipa = await h.token('ipa', ['CISO'], 'ipa-boss')

const auth = (token: string) => ({ authorization: `Bearer ${token}` })
async function post(token: string, url: string, payload: object) {
  const res = await h.app.inject({ method: 'POST', url, headers: auth(token), payload })
  return { status: res.statusCode, body: res.json() }
}
async function get(token: string, url: string) {
  const res = await h.app.inject({ method: 'GET', url, headers: auth(token) })
  return { status: res.statusCode, body: res.json() }
}
const ids = (body: { items: { id: string }[] }) => body.items.map((x) => x.id)
const stage = (token: string, systemId: string, to: string) => post(token, `/api/systems/${systemId}/stage`, { to })
const sys1 = {
  systemId: 'SYS-1', name: 'e-Filing', purpose: 'tax returns online', ownerUnitId: 'it', informationClasses: ['C3I2A2', 'C2I1A1'],
  internetFacing: true, criticality: 'HIGH', contractorIds: ['acme'], reviewDueOn: '2027-03-31',
}
const srDoc = (version: string) => ({ kind: 'SECURITY_REQUIREMENTS', title: 'Security requirements', version, issuedOn: '2026-06-01' })

t.test('register: the system security officer of that system, checked; an employee or the officer of another system may not', async (t) => {
  t.match(await post(employee, '/api/systems', sys1), { status: 403, body: { code: 'Forbidden' } })
  t.match(await post(oda, '/api/systems', sys1), { status: 403, body: { code: 'Forbidden', target: { systemId: 'SYS-1' } } })
  t.match(await post(sato, '/api/systems', { ...sys1, ownerUnitId: 'nope' }), { status: 422, body: { code: 'UnknownUnit' } })
  t.match(await post(sato, '/api/systems', { ...sys1, securityOfficerId: 'ghost' }), { status: 422, body: { code: 'UnknownEmployee' } })
  t.match(await post(sato, '/api/systems', { ...sys1, hosting: { kind: 'CLOUD' } }), { status: 400, body: { code: 'ValidationFailed' } })
  t.match(await post(sato, '/api/systems', { ...sys1, stage: 'OPERATION' }), { status: 409, body: { code: 'LedgerEntryIncomplete', missing: ['securityOfficerId', 'hosting', 'documents.DESIGN', 'documents.OPERATION_MANUAL'] } })
  const created = await post(sato, '/api/systems', sys1)
  t.match(created, { status: 201, body: { id: 'SYS-1', replayed: false } })
  t.match(await post(gso, '/api/systems', sys1), { status: 409, body: { code: 'SystemAlreadyExists' } })
  t.match(await loadSystem(h.store, 'mof', 'SYS-1'), { systemId: 'SYS-1', stage: 'PLANNING', internetFacing: true, criticality: 'HIGH', ownerUnitId: 'it', retired: false })
  t.equal(await loadSystem(h.store, 'mic', 'SYS-1'), undefined, 'another agency has no such system')
})

t.test('procurement needs security requirements approved by someone other than who recorded them', async (t) => {
  t.match(await stage(sato, 'SYS-1', 'PROCUREMENT'), { status: 409, body: { code: 'SecurityRequirementsNotApproved', missing: 'SECURITY_REQUIREMENTS', detail: /RecordSystemDocument/ } })
  t.match(await post(sato, '/api/systems/SYS-1/documents', srDoc('1.0')), { status: 201, body: { id: 'SYS-1' } })
  t.match(await stage(sato, 'SYS-1', 'PROCUREMENT'), { status: 409, body: { code: 'SecurityRequirementsNotApproved', unapproved: [{ documentId: 'SECURITY_REQUIREMENTS', version: '1.0' }], detail: /ApproveSecurityRequirements/ } })
  t.match(await post(sato, '/api/systems/SYS-1/security-requirements/approval', { documentVersion: '1.0' }), { status: 403, body: { code: 'Forbidden' } }, 'the system security officer does not approve')
  t.match(await post(gso, '/api/systems/SYS-1/security-requirements/approval', { documentVersion: '9.9' }), { status: 404, body: { code: 'DocumentNotFound' } })
  t.equal((await post(gso, '/api/systems/SYS-1/security-requirements/approval', { documentVersion: '1.0', note: 'fine' })).status, 200)
  // The general security officer revises them: then someone else approves the new version.
  t.equal((await post(gso, '/api/systems/SYS-1/documents', srDoc('1.1'))).status, 201)
  t.match(await stage(sato, 'SYS-1', 'PROCUREMENT'), { status: 409, body: { code: 'SecurityRequirementsNotApproved', unapproved: [{ version: '1.1' }] } })
  t.match(await post(gso, '/api/systems/SYS-1/security-requirements/approval', { documentVersion: '1.1' }), { status: 403, body: { code: 'SelfApproval', recordedBy: 'tanaka' } })
  t.equal((await post(ciso, '/api/systems/SYS-1/security-requirements/approval', { documentVersion: '1.1' })).status, 200)
  t.match(await stage(sato, 'SYS-1', 'PROCUREMENT'), { status: 200, body: { id: 'SYS-1' } })
})

t.test('construction, acceptance; operation refused while the ledger entry is incomplete, listing the fields', async (t) => {
  t.match(await stage(sato, 'SYS-1', 'OPERATION'), { status: 409, body: { code: 'SystemStageTransitionNotAllowed', from: 'PROCUREMENT', allowed: ['CONSTRUCTION'] } })
  t.match(await stage(oda, 'SYS-1', 'CONSTRUCTION'), { status: 403, body: { code: 'Forbidden' } }, 'the officer of another system')
  t.equal((await stage(sato, 'SYS-1', 'CONSTRUCTION')).status, 200)
  t.equal((await stage(sato, 'SYS-1', 'ACCEPTANCE')).status, 200)
  t.match(await stage(sato, 'SYS-1', 'OPERATION'), {
    status: 409, body: { code: 'LedgerEntryIncomplete', missing: ['securityOfficerId', 'hosting', 'documents.DESIGN', 'documents.OPERATION_MANUAL'], detail: /UpdateInformationSystemLedger/ },
  })
  const updated = await post(sato, '/api/systems/SYS-1/ledger', { securityOfficerId: 'sato', hosting: { kind: 'CLOUD', provider: 'Sakura', service: 'IaaS', ismapRegistered: true } })
  t.equal(updated.status, 200)
  t.equal((await post(sato, '/api/systems/SYS-1/documents', { kind: 'DESIGN', title: 'Basic design', version: '1', issuedOn: '2026-06-10' })).status, 201)
  t.match(await stage(sato, 'SYS-1', 'OPERATION'), { status: 409, body: { code: 'LedgerEntryIncomplete', missing: ['documents.OPERATION_MANUAL'] } })
  t.equal((await post(sato, '/api/systems/SYS-1/documents', { kind: 'OPERATION_MANUAL', title: 'Run book', version: '1', issuedOn: '2026-06-20' })).status, 201)
  t.equal((await stage(sato, 'SYS-1', 'OPERATION')).status, 200)
  // In operation the entry stays complete: an update may not take away what operation required.
  t.match(await post(sato, '/api/systems/SYS-1/ledger', { informationClasses: [] }), { status: 409, body: { code: 'LedgerEntryIncomplete', missing: ['informationClasses'] } })
  t.equal((await post(sato, '/api/systems/SYS-1/ledger', { purpose: 'Mail for the whole ministry' })).status, 200, 'other updates go through')
  // Names every JavaScript object has are plain unknown names, never inherited members (no 500 later).
  for (const edition of ['__proto__', 'constructor', 'toString']) {
    t.match(await post(sato, '/api/systems/SYS-1/crypto-policy', { edition, algorithms: [{ use: 'TLS', algorithm: 'AES', keyLength: 256 }] }), { status: 422, body: { code: 'UnknownCryptrecEdition' } }, edition)
  }
  t.equal((await post(sato, '/api/systems/SYS-1/documents', { documentId: 'constructor', kind: 'OTHER', title: 'Odd id', version: '1', issuedOn: '2026-06-20' })).status, 201, 'a document may be called constructor')
  t.equal((await get(sato, '/api/systems')).status, 200)
  const stream = await h.store.readStream('mof', 'system-SYS-1')
  t.match(stream.events.find((e) => e.type === 'SystemLedgerUpdated')?.data, { changed: ['securityOfficerId', 'hosting'], previous: {} })
})

t.test('disposal; retirement refused until the data erasure is confirmed; a retired system takes no command', async (t) => {
  t.match(await stage(sato, 'SYS-1', 'RETIRED'), { status: 409, body: { code: 'SystemStageTransitionNotAllowed', allowed: ['RENEWAL', 'DISPOSAL'] } })
  t.match(await post(sato, '/api/systems/SYS-1/data-erasure', { method: 'overwrite', confirmedOn: '2026-06-30' }), { status: 409, body: { code: 'SystemNotInDisposal' } })
  t.equal((await stage(sato, 'SYS-1', 'DISPOSAL')).status, 200)
  t.match(await stage(sato, 'SYS-1', 'RETIRED'), { status: 409, body: { code: 'DataErasureNotConfirmed', detail: /ConfirmSystemDataErasure/ } })
  t.match(await post(sato, '/api/systems/SYS-1/data-erasure', { method: 'overwrite', confirmedOn: '2026-07-02' }), { status: 422, body: { code: 'ErasureDateInFuture' } })
  t.equal((await post(sato, '/api/systems/SYS-1/data-erasure', { method: 'cryptographic erasure of the volumes', confirmedOn: '2026-06-30', evidenceRef: 'CERT-42' })).status, 200)
  const retired = await stage(sato, 'SYS-1', 'RETIRED')
  t.equal(retired.status, 200)
  for (const [url, body] of [
    ['/api/systems/SYS-1/ledger', { name: 'x' }], ['/api/systems/SYS-1/documents', srDoc('2.0')], ['/api/systems/SYS-1/stage', { to: 'PLANNING' }],
    ['/api/systems/SYS-1/reviews', { findings: 'f' }], ['/api/systems/SYS-1/security-requirements/approval', { documentVersion: '1.0' }],
    ['/api/systems/SYS-1/data-erasure', { method: 'm', confirmedOn: '2026-06-30' }], ['/api/systems/SYS-1/crypto-policy', { algorithms: [{ use: 'tls', algorithm: 'AES' }] }],
    ['/api/systems/SYS-1/continuity-plan', { version: '1', measures: ['m'] }],
  ] as const) t.match(await post(ciso, url, body), { status: 409, body: { code: 'SystemRetired' } }, url)
  t.match(await loadSystem(h.store, 'mof', 'SYS-1'), { stage: 'RETIRED', retired: true })

  const one = await get(sato, `/api/systems/SYS-1?minPosition=${retired.body.position}`)
  t.equal(one.status, 200)
  t.match(one.body, {
    id: 'SYS-1', agencyId: 'mof', stage: 'RETIRED', allowedNextStages: [], highestClass: 'C3I2A2', handlesC3: true, securityOfficerId: 'sato',
    hosting: { kind: 'CLOUD', ismapRegistered: true }, ledgerComplete: true, ledgerMissing: [], reviewOverdue: false,
    securityRequirements: { recorded: true, approved: true, unapproved: [] },
    approvals: [{ documentVersion: '1.0', by: 'tanaka', recordedBy: 'sato', note: 'fine' }, { documentVersion: '1.1', by: 'boss', recordedBy: 'tanaka' }],
    erasure: { method: 'cryptographic erasure of the volumes', confirmedOn: '2026-06-30', evidenceRef: 'CERT-42', by: 'sato' },
    registeredBy: 'sato', retiredAt: '2026-07-01T01:00:00.000Z',
  })
  t.same(one.body.documents.map((d: { documentId: string; versions: { version: string }[] }) => [d.documentId, d.versions.map((v) => v.version)]),
    [['SECURITY_REQUIREMENTS', ['1.0', '1.1']], ['DESIGN', ['1']], ['OPERATION_MANUAL', ['1']], ['constructor', ['1']]])
  t.same(one.body.stageHistory.map((s: { to: string }) => s.to), ['PLANNING', 'PROCUREMENT', 'CONSTRUCTION', 'ACCEPTANCE', 'OPERATION', 'DISPOSAL', 'RETIRED'])

  const first = await get(sato, '/api/systems/SYS-1/history?first=3')
  t.same(first.body.items.map((e: { type: string }) => e.type), ['SystemRegistered', 'SystemDocumentRecorded', 'SecurityRequirementsApproved'])
  t.equal(first.body.pageInfo.hasNextPage, true)
  const rest = await get(sato, `/api/systems/SYS-1/history?first=200&after=${first.body.pageInfo.endCursor}`)
  t.equal(rest.body.items.at(-1).type, 'SystemStageChanged')
  t.match(rest.body.items.at(-1), { data: { from: 'DISPOSAL', to: 'RETIRED' }, actor: { id: 'sato' } })
  t.equal(first.body.items.length + rest.body.items.length, (await h.store.readStream('mof', 'system-SYS-1')).version)
})

t.test('the ledger: filters (criticality, stage, internet-facing, C3, owner unit, past review, continuity plan) and keyset pages', async (t) => {
  const complete = { securityOfficerId: 'oda', hosting: { kind: 'ON_PREMISES' }, documents: [{ kind: 'DESIGN', title: 'd', version: '1', issuedOn: '2026-01-01' }, { kind: 'OPERATION_MANUAL', title: 'o', version: '1', issuedOn: '2026-01-01' }] }
  t.equal((await post(oda, '/api/systems', { systemId: 'SYS-2', name: 'Payroll', purpose: 'salaries', ownerUnitId: 'hr', informationClasses: ['C2I2A1'], internetFacing: false, criticality: 'LOW' })).status, 201)
  t.equal((await post(gso, '/api/systems', { systemId: 'SYS-3', name: 'Portal', purpose: 'public site', ownerUnitId: 'it', informationClasses: ['C1I1A2'], internetFacing: true, criticality: 'CRITICAL', stage: 'OPERATION', reviewDueOn: '2026-06-30', ...complete })).status, 201)
  const last = await post(gso, '/api/systems', { systemId: 'SYS-4', name: 'Archive', purpose: 'records', ownerUnitId: 'it', informationClasses: ['C3'], internetFacing: false, criticality: 'HIGH', reviewDueOn: '2026-07-01', hosting: { kind: 'CLOUD', provider: 'Example Cloud', ismapRegistered: false } })
  const q = async (query: string) => ids((await get(employee, `/api/systems?minPosition=${last.body.position}&${query}`)).body)
  t.same(await q(''), ['SYS-1', 'SYS-2', 'SYS-3', 'SYS-4'], 'any employee of the agency reads the ledger')
  t.same(await q('criticality=HIGH,CRITICAL'), ['SYS-1', 'SYS-3', 'SYS-4'])
  t.same(await q('stage=OPERATION'), ['SYS-3'])
  t.same(await q('stage=PLANNING,RETIRED'), ['SYS-1', 'SYS-2', 'SYS-4'])
  t.same(await q('internetFacing=true'), ['SYS-1', 'SYS-3'])
  t.same(await q('handlesC3=true'), ['SYS-1', 'SYS-4'])
  t.same(await q('handlesC3=false'), ['SYS-2', 'SYS-3'])
  t.same(await q('ownerUnitId=hr'), ['SYS-2'])
  t.same(await q('pastReview=true'), ['SYS-3'], 'due 2026-06-30, today is 2026-07-01 in Japan; due today is not past')
  t.same(await q('continuityPlanMissing=true'), ['SYS-3', 'SYS-4'], 'HIGH or CRITICAL, not retired, no plan')
  t.same(await q('internetFacing=true&stage=OPERATION&handlesC3=false'), ['SYS-3'])
  t.same(await q('cloudNotIsmapRegistered=true'), ['SYS-4'], 'on a cloud service not registered under ISMAP (SYS-1 is registered, and retired)')
  t.same(await q('cloudNotIsmapRegistered=false'), ['SYS-1', 'SYS-2', 'SYS-3'])
  t.match((await get(employee, '/api/systems/SYS-4')).body, { cloudNotIsmapRegistered: true })
  t.match((await get(employee, '/api/systems/SYS-3')).body, { reviewOverdue: true, ledgerComplete: true, continuity: { planRequired: true, planMissing: true } })
  t.match((await get(employee, '/api/systems/SYS-2')).body, { highestClass: 'C2I2A1', handlesC3: false, ledgerComplete: false, ledgerMissing: ['securityOfficerId', 'hosting', 'documents.DESIGN', 'documents.OPERATION_MANUAL'] })
  const p1 = await get(employee, '/api/systems?first=3')
  t.match(p1.body.pageInfo, { hasNextPage: true })
  const p2 = await get(employee, `/api/systems?first=3&after=${p1.body.pageInfo.endCursor}`)
  t.same([...ids(p1.body), ...ids(p2.body)], ['SYS-1', 'SYS-2', 'SYS-3', 'SYS-4'])
  t.equal(p2.body.pageInfo.hasNextPage, false)
  t.match(await get(employee, '/api/systems?after=forged'), { status: 400, body: { code: 'InvalidCursor' } })
  t.match(await get(employee, '/api/systems?stage=NOPE'), { status: 400 })
  t.match(await get(employee, '/api/systems/NOPE'), { status: 404, body: { code: 'SystemNotFound' } })
})

t.test('another agency sees nothing and cannot act; a national organ reads the bodies under it', async (t) => {
  t.same(ids((await get(mic, '/api/systems')).body), [])
  t.match(await get(mic, '/api/systems/SYS-1'), { status: 404, body: { code: 'SystemNotFound' } })
  t.match(await get(mic, '/api/systems/SYS-1/history'), { status: 404 })
  t.match(await get(mic, '/api/systems?agencyId=mof'), { status: 400, body: { code: 'ValidationFailed' } })
  t.match(await get(mic, '/api/systems/SYS-1?agencyId=mof'), { status: 400, body: { code: 'ValidationFailed' } })
  t.match(await stage(mic, 'SYS-2', 'PROCUREMENT'), { status: 404, body: { code: 'SystemNotFound' } }, "acts on its own ledger, where there is no SYS-2")
  const own = await post(ipa, '/api/systems', { systemId: 'SYS-1', name: 'IPA site', purpose: 'p', ownerUnitId: 'general', internetFacing: true, criticality: 'MEDIUM' })
  t.equal(own.status, 201, 'ledger numbers are per agency')
  await h.settle('ipa')
  t.same((await get(ciso, '/api/systems?agencyId=ipa')).body.items.map((x: { agencyId: string; id: string }) => `${x.agencyId}/${x.id}`), ['ipa/SYS-1'])
  t.match((await get(ciso, '/api/systems/SYS-1?agencyId=ipa')).body, { agencyId: 'ipa', name: 'IPA site' })
  t.equal((await get(ciso, '/api/systems')).body.items.length, 5, 'its own four and the one under it')
  t.same(ids((await get(ipa, '/api/systems')).body), ['SYS-1'], 'the body under it sees only its own')
})
