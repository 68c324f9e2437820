// REST end to end for outsourcing (Art. 16): contractors and their selection, a contract refused while
// the contractor is not qualified (naming the unmet criteria) and while required clauses are missing
// (listing them), the full contract, a failed supply-chain check shown as an open finding (and closed by
// a later check), end → close refused until the erasure is confirmed (not before the end) → closed,
// contracts ending soon against an injected clock, who may do what (a unit's security officer only where
// the owner unit and the units owning the contract's systems are all its own), retired systems refused,
// an extension refused once the contractor is no longer qualified, and visibility across agencies.
import t from 'tap'
import { startTestApp } from '../helpers/app.js'

let now = new Date('2026-07-01T10:00:00+09:00')
const h = await startTestApp(t, { clock: { now: () => now } })
await h.agency('mof')
await h.agency('ipa', 'INCORPORATED_ADMINISTRATIVE_AGENCY', 'mof')
await h.agency('mic')
await h.unit('mof', 'u1')
await h.unit('mof', 'u2')
for (const systemId of ['S1', 'S2']) {
  await h.admin('mof', 'registerInformationSystem', { systemId, name: `System ${systemId}`, purpose: 'e-applications', ownerUnitId: 'u1', internetFacing: true, criticality: 'HIGH' })
}
for (const [id, unit] of [['oda', 'u1'], ['ota', 'u2'], ['sse', 'u1']] as const) await h.employee('mof', id, unit)
// S3 is owned by unit u2; S4 (u1) was in operation and is retired.
await h.admin('mof', 'registerInformationSystem', { systemId: 'S3', name: 'Payroll', purpose: 'payroll', ownerUnitId: 'u2', internetFacing: false, criticality: 'MEDIUM' })
await h.admin('mof', 'registerInformationSystem', {
  systemId: 'S4', name: 'Old portal', purpose: 'e-applications (old)', ownerUnitId: 'u1', internetFacing: true, criticality: 'LOW', stage: 'OPERATION',
  securityOfficerId: 'sse', informationClasses: ['C2I1A1'], hosting: { kind: 'ON_PREMISES' },
  documents: [{ kind: 'DESIGN', title: 'Design', version: '1', issuedOn: '2020-04-01' }, { kind: 'OPERATION_MANUAL', title: 'Run book', version: '1', issuedOn: '2020-04-01' }],
})
await h.admin('mof', 'changeSystemStage', { to: 'DISPOSAL' }, { systemId: 'S4' })
await h.admin('mof', 'confirmSystemDataErasure', { method: 'overwrite', confirmedOn: '2026-06-30' }, { systemId: 'S4' })
await h.admin('mof', 'changeSystemStage', { to: 'RETIRED' }, { systemId: 'S4' })
await h.admin('mof', 'assignRole', { employeeId: 'oda', role: 'SECURITY_OFFICER', scope: { kind: 'UNIT', unitId: 'u1' }, from: '2020-04-01' })
await h.admin('mof', 'assignRole', { employeeId: 'ota', role: 'SECURITY_OFFICER', scope: { kind: 'UNIT', unitId: 'u2' }, from: '2020-04-01' })
await h.admin('mof', 'assignRole', { employeeId: 'sse', role: 'SYSTEM_SECURITY_OFFICER', scope: { kind: 'SYSTEM', systemId: 'S1' }, from: '2020-04-01' })
const gso = await h.token('mof', ['GENERAL_SECURITY_OFFICER'], 'tanaka')
const sato = await h.token('mof', [], 'sato')
const oda = await h.token('mof', [], 'oda')
const ota = await h.token('mof', [], 'ota')
const sse = await h.token('mof', [], 'sse')
const mic = await h.token('mic', ['CISO'], 'kato')
const ipa = await h.token('ipa', ['CISO'], 'ito')

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

const required = ['CONFIDENTIALITY', 'INCIDENT_REPORTING', 'AUDIT_RIGHTS', 'SUBCONTRACTING_APPROVAL', 'RETURN_OR_ERASURE_AT_END', 'UNINTENDED_CHANGE_CONTROL']
const contract = (over: object = {}) => ({
  contractId: 'C1', contractorId: 'K1', subject: 'operation and maintenance of S1', ownerUnitId: 'u1', systemIds: ['S1'],
  from: '2026-04-01', to: '2027-03-31', securityClauses: [...required, 'DATA_LOCATION'], handlesInformationClass: 'C3I2A2', ...over,
})
const check = (over: object = {}) => ({
  item: { name: 'Edge router', model: 'ER-8', version: '2.1' }, systemId: 'S1', checkedOn: '2026-06-20',
  checks: { knownVulnerabilities: { result: 'FAILED', note: 'CVE-2026-1234 not patched' }, insecureTechnology: { result: 'PASSED' }, embeddedMalware: { result: 'PASSED', note: 'vendor attestation and scan' } },
  ...over,
})

t.test('contractors: registered by the agency-wide officers; the corporate number is checked', async (t) => {
  t.match(await post(sato, '/api/contractors', { contractorId: 'K1', name: 'Kaisha KK' }), { status: 403, body: { code: 'Forbidden' } }, 'an employee')
  t.match(await post(oda, '/api/contractors', { contractorId: 'K1', name: 'Kaisha KK' }), { status: 403, body: { code: 'Forbidden' } }, "a unit's security officer does not choose the agency's contractors")
  t.match(await post(gso, '/api/contractors', { contractorId: 'K1', name: 'Kaisha KK', corporateNumber: '1180301018772' }), { status: 400, body: { code: 'ValidationFailed' } })
  t.match(await post(gso, '/api/contractors', { contractorId: 'K1', name: 'Kaisha KK', corporateNumber: '1180301018771', address: 'Tokyo' }), { status: 201, body: { id: 'K1' } })
  t.match(await post(gso, '/api/contractors', { contractorId: 'K1', name: 'Again' }), { status: 409, body: { code: 'ContractorAlreadyExists' } })
  t.match(await post(gso, '/api/contractors/K9/selection', { criteria: [{ code: 'INCIDENT_REPORTING', met: true }] }), { status: 404, body: { code: 'ContractorNotFound' } })
})

t.test('a contract with a contractor that does not meet the criteria is refused, naming them', async (t) => {
  t.match(await post(gso, '/api/contracts', contract({ contractorId: 'K9' })), { status: 422, body: { code: 'UnknownContractor' } })
  t.match(await post(gso, '/api/contracts', contract()), { status: 409, body: { code: 'ContractorNotQualified', unmet: ['INFORMATION_LEAK_COUNTERMEASURES', 'UNINTENDED_CHANGE_CONTROL'], selectionRecorded: false } })
  t.equal((await post(gso, '/api/contractors/K1/selection', { criteria: [
    { code: 'INFORMATION_LEAK_COUNTERMEASURES', met: true, evidence: 'ISMS certificate' }, { code: 'UNINTENDED_CHANGE_CONTROL', met: false, evidence: 'no change control for subcontractors' },
  ] })).status, 200)
  const refused = await post(gso, '/api/contracts', contract())
  t.match(refused, { status: 409, body: { code: 'ContractorNotQualified', unmet: ['UNINTENDED_CHANGE_CONTROL'], selectionRecorded: true } })
  t.match(refused.body.detail ?? refused.body.message, /UNINTENDED_CHANGE_CONTROL/)
  await h.settle('mof')
  const unqualified = await get(gso, '/api/contractors?qualified=false')
  t.same(ids(unqualified.body), ['K1'])
})

t.test('a qualified contractor: missing clauses are listed; references and period are checked; then the contract', async (t) => {
  const selected = await post(gso, '/api/contractors/K1/selection', { criteria: [
    { code: 'INFORMATION_LEAK_COUNTERMEASURES', met: true, evidence: 'ISMS certificate' }, { code: 'UNINTENDED_CHANGE_CONTROL', met: true, evidence: 'change control procedure v3' },
    { code: 'CAPITAL_AND_MANAGEMENT_TRANSPARENCY', met: false },
  ] })
  t.equal(selected.status, 200)
  t.match(await post(gso, '/api/contracts', contract({ securityClauses: ['CONFIDENTIALITY', 'AUDIT_RIGHTS'] })), {
    status: 422, body: { code: 'MissingSecurityClauses', missing: ['INCIDENT_REPORTING', 'SUBCONTRACTING_APPROVAL', 'RETURN_OR_ERASURE_AT_END', 'UNINTENDED_CHANGE_CONTROL'] },
  })
  t.match(await post(gso, '/api/contracts', contract({ systemIds: ['S1', 'S9'] })), { status: 422, body: { code: 'SystemsNotInLedger', systemIds: ['S9'] } })
  t.match(await post(gso, '/api/contracts', contract({ ownerUnitId: 'nope' })), { status: 422, body: { code: 'UnknownUnit' } })
  t.match(await post(gso, '/api/contracts', contract({ to: '2026-03-31' })), { status: 422, body: { code: 'InvalidPeriod' } })
  t.match(await post(gso, '/api/contracts', contract({ securityClauses: ['NOPE'] })), { status: 400, body: { code: 'ValidationFailed' } })
  t.match(await post(sato, '/api/contracts', contract()), { status: 403, body: { code: 'Forbidden' } }, 'an employee cannot record contracts')
  t.match(await post(ota, '/api/contracts', contract()), { status: 403, body: { code: 'Forbidden', target: { unitIds: ['u1'] } } }, "another unit's security officer")
  const created = await post(oda, '/api/contracts', contract())
  t.match(created, { status: 201, body: { id: 'C1', streamVersion: 1 } }, "the owner unit's security officer")
  t.match(await post(gso, '/api/contracts', contract()), { status: 409, body: { code: 'ContractAlreadyExists' } })

  const one = await get(sato, `/api/contracts/C1?minPosition=${created.body.position}`)
  t.equal(one.status, 200)
  t.match(one.body, {
    id: 'C1', agencyId: 'mof', contractorId: 'K1', contractorName: 'Kaisha KK', contractorQualified: true, ownerUnitId: 'u1', systemIds: ['S1'],
    from: '2026-04-01', to: '2027-03-31', originalTo: '2027-03-31', securityClauses: [...required, 'DATA_LOCATION'], handlesInformationClass: 'C3I2A2',
    status: 'ACTIVE', daysToEnd: 273, pastEnd: false, recordedBy: 'oda', extension: null, end: null, informationReturn: null, closure: null,
    supplyChainChecks: [], openSupplyChainFindings: [],
  })
  const k1 = await get(sato, '/api/contractors/K1')
  t.match(k1.body, {
    id: 'K1', name: 'Kaisha KK', corporateNumber: '1180301018771', qualified: true, unmetCriteria: [], activeContracts: 1,
    selection: { criteria: [{ code: 'INFORMATION_LEAK_COUNTERMEASURES', met: true, required: true, confidence: 'S' }, { code: 'UNINTENDED_CHANGE_CONTROL' }, { code: 'CAPITAL_AND_MANAGEMENT_TRANSPARENCY', met: false, required: false, confidence: 'R' }], recordedBy: 'tanaka' },
  })
  t.same(ids((await get(gso, '/api/contractors?qualified=true')).body), ['K1'])
  t.equal((await get(gso, '/api/contractors/K9')).status, 404)
})

t.test('supply-chain checks: a failed check is an open finding until a later check of the item passes', async (t) => {
  t.match(await post(sse, '/api/contracts/C1/supply-chain-checks', check({ systemId: undefined })), { status: 403, body: { code: 'Forbidden' } }, 'a system officer names the system')
  t.match(await post(gso, '/api/contracts/C1/supply-chain-checks', check({ systemId: 'S2' })), { status: 422, body: { code: 'SystemNotInContract' } })
  t.match(await post(gso, '/api/contracts/C1/supply-chain-checks', check({ checks: { ...check().checks, embeddedMalware: { result: 'FAILED' } } })), { status: 400 }, 'a failed check says why')
  t.match(await post(gso, '/api/contracts/C1/supply-chain-checks', check({ checkedOn: '2026-07-02' })), { status: 422, body: { code: 'ContractDateInFuture' } })
  t.match(await post(ota, '/api/contracts/C1/supply-chain-checks', check()), { status: 403 })
  const failed = await post(sse, '/api/contracts/C1/supply-chain-checks', check())
  t.match(failed, { status: 201, body: { id: 'C1' } }, "the system security officer of the contract's system")
  const shown = await get(gso, `/api/contracts/C1?minPosition=${failed.body.position}`)
  t.match(shown.body.openSupplyChainFindings, [{ item: { name: 'Edge router', model: 'ER-8' }, systemId: 'S1', check: 'knownVulnerabilities', note: 'CVE-2026-1234 not patched', checkedOn: '2026-06-20' }])
  t.equal(shown.body.openSupplyChainFindings.length, 1)
  t.match(shown.body.supplyChainChecks, [{ failed: ['knownVulnerabilities'], recordedBy: 'sse', checks: { embeddedMalware: { result: 'PASSED', note: 'vendor attestation and scan' } } }])
  const fixed = await post(gso, '/api/contracts/C1/supply-chain-checks', check({ item: { name: 'Edge router', model: 'ER-8', version: '2.2' }, checkedOn: '2026-06-30', checks: { ...check().checks, knownVulnerabilities: { result: 'PASSED' } } }))
  const after = await get(gso, `/api/contracts/C1?minPosition=${fixed.body.position}`)
  t.same(after.body.openSupplyChainFindings, [], 'the patched firmware passed')
  t.equal(after.body.supplyChainChecks.length, 2)
})

t.test('extension, end, close refused until the erasure is confirmed, then closed; the history', async (t) => {
  t.match(await post(oda, '/api/contracts/C1/extension', { to: '2027-03-31' }), { status: 422, body: { code: 'InvalidPeriod' } })
  t.equal((await post(oda, '/api/contracts/C1/extension', { to: '2027-09-30', note: 'migration delayed' })).status, 200)
  t.match(await post(oda, '/api/contracts/C1/close', {}), { status: 409, body: { code: 'ContractTransitionNotAllowed' } })
  t.match(await post(oda, '/api/contracts/C1/information-return', { method: 'ERASED', confirmedOn: '2026-07-01' }), { status: 409, body: { code: 'ContractTransitionNotAllowed' } })
  t.match(await post(oda, '/api/contracts/C1/end', { endedOn: '2026-07-02' }), { status: 422, body: { code: 'ContractDateInFuture' } })
  t.match(await post(sato, '/api/contracts/C1/end', { endedOn: '2026-06-30' }), { status: 403 })
  t.equal((await post(oda, '/api/contracts/C1/end', { endedOn: '2026-06-30', note: 'terminated early' })).status, 200)
  t.match(await post(oda, '/api/contracts/C1/close', {}), { status: 409, body: { code: 'ErasureNotConfirmed' } })
  const early = await post(gso, '/api/contracts/C1/information-return', { method: 'ERASED', confirmedOn: '2026-06-29' })
  t.match(early, { status: 422, body: { code: 'InvalidPeriod', confirmedOn: '2026-06-29', endedOn: '2026-06-30' } }, 'not before the contract ended')
  t.match(early.body.detail ?? early.body.message, /on or after 2026-06-30/)
  t.equal((await post(gso, '/api/contracts/C1/information-return', { method: 'ERASED', confirmedOn: '2026-07-01', evidenceRef: 'certificate 2026-77' })).status, 200)
  t.match(await post(gso, '/api/contracts/C1/information-return', { method: 'RETURNED', confirmedOn: '2026-07-01' }), { status: 409, body: { code: 'ContractTransitionNotAllowed' } })
  const closed = await post(oda, '/api/contracts/C1/close', { note: 'filed' })
  t.equal(closed.status, 200)
  const row = await get(gso, `/api/contracts/C1?minPosition=${closed.body.position}`)
  t.match(row.body, {
    status: 'CLOSED', to: '2027-09-30', originalTo: '2027-03-31', daysToEnd: null, pastEnd: false,
    extension: { previousTo: '2027-03-31', to: '2027-09-30', note: 'migration delayed', by: 'oda' },
    end: { endedOn: '2026-06-30', note: 'terminated early', by: 'oda' },
    informationReturn: { method: 'ERASED', confirmedOn: '2026-07-01', evidenceRef: 'certificate 2026-77', by: 'tanaka' },
    closure: { note: 'filed', by: 'oda' },
  })
  t.match(await post(gso, '/api/contracts/C1/supply-chain-checks', check()), { status: 409, body: { code: 'ContractTransitionNotAllowed' } }, 'closed: no more checks')
  t.match(await post(gso, '/api/contracts/C9/end', { endedOn: '2026-06-30' }), { status: 404, body: { code: 'ContractNotFound' } })
  const history = await get(sato, '/api/contracts/C1/history?first=3')
  t.same(history.body.items.map((e: { type: string }) => e.type), ['ContractRecorded', 'SupplyChainCheckRecorded', 'SupplyChainCheckRecorded'])
  const rest = await get(sato, `/api/contracts/C1/history?after=${history.body.pageInfo.endCursor}`)
  t.same(rest.body.items.map((e: { type: string; actor: { id: string } }) => [e.type, e.actor.id]), [
    ['ContractExtended', 'oda'], ['ContractEnded', 'oda'], ['InformationReturnOrErasureConfirmed', 'tanaka'], ['ContractClosed', 'oda'],
  ])
  t.equal((await get(sato, '/api/contracts/C1/history?after=x')).status, 400)
})

t.test('contracts ending soon, relative to today in Japan (injected clock), with filters and pages', async (t) => {
  for (const [contractId, to, systemIds] of [['C2', '2026-07-20', ['S2']], ['C3', '2026-12-31', ['S1', 'S2']], ['C4', '2026-06-20', []]] as const) {
    t.equal((await post(gso, '/api/contracts', contract({ contractId, to, systemIds }))).status, 201)
  }
  await h.settle('mof')
  const soon = await get(gso, '/api/contracts?endingWithinDays=30')
  t.same(ids(soon.body), ['C4', 'C2'], 'the one past its last day with no end recorded, then the one ending within 30 days')
  t.match(soon.body.items, [{ id: 'C4', pastEnd: true, daysToEnd: -11 }, { id: 'C2', pastEnd: false, daysToEnd: 19 }])
  t.same(ids((await get(gso, '/api/contracts?systemId=S2')).body), ['C2', 'C3'])
  t.same(ids((await get(gso, '/api/contracts?status=CLOSED')).body), ['C1'])
  t.same(ids((await get(gso, '/api/contracts?status=ACTIVE&contractorId=K1')).body), ['C4', 'C2', 'C3'])
  t.same(ids((await get(gso, '/api/contracts?ownerUnitId=u2')).body), [])
  now = new Date('2026-12-10T23:30:00+09:00')
  t.same(ids((await get(gso, '/api/contracts?endingWithinDays=21')).body), ['C4', 'C2', 'C3'], 'months later, C3 ends within 21 days')
  t.same(ids((await get(gso, '/api/contracts?endingWithinDays=20')).body), ['C4', 'C2'], '2026-12-31 is 21 days after the Japan date 2026-12-10')
  now = new Date('2026-07-01T10:00:00+09:00')
  const first = await get(gso, '/api/contracts?first=2')
  t.equal(first.body.pageInfo.hasNextPage, true)
  const next = await get(gso, `/api/contracts?first=2&after=${first.body.pageInfo.endCursor}`)
  t.same([...ids(first.body), ...ids(next.body)], ['C4', 'C2', 'C3', 'C1'], 'pages follow the order of the whole list (ending first)')
  t.equal((await get(gso, '/api/contracts?endingWithinDays=-1')).status, 400)
  t.equal((await get(gso, '/api/contracts?status=OPEN')).status, 400)
  t.equal((await get(gso, '/api/contracts?after=bogus')).status, 400)
})

t.test('across agencies: another agency sees nothing; a national organ reads the bodies under it', async (t) => {
  t.same((await get(mic, '/api/contracts')).body.items, [])
  t.same((await get(mic, '/api/contractors')).body.items, [])
  t.match(await get(mic, '/api/contracts/C1'), { status: 404, body: { code: 'ContractNotFound' } })
  t.equal((await get(mic, '/api/contracts?agencyId=mof')).status, 400)
  t.match(await post(mic, '/api/contracts/C2/end', { endedOn: '2026-06-30' }), { status: 404, body: { code: 'ContractNotFound' } })
  t.equal((await post(ipa, '/api/contractors', { contractorId: 'K1', name: 'IPA vendor' })).status, 201, 'ids are per agency')
  await h.settle('ipa')
  t.same((await get(gso, '/api/contractors?agencyId=ipa')).body.items.map((k: { name: string }) => k.name), ['IPA vendor'])
  t.match((await get(gso, '/api/contractors/K1?agencyId=ipa')).body, { agencyId: 'ipa', name: 'IPA vendor', qualified: false })
  t.same((await get(gso, '/api/contractors')).body.items.map((k: { agencyId: string }) => k.agencyId), ['ipa', 'mof'], 'the organ sees both')
  t.equal((await get(ipa, '/api/contracts/C1?agencyId=mof')).status, 400, 'a body does not see its organ')
})

t.test("a unit's security officer records and acts on contracts only where the owner unit and the owners of the systems named are all its unit", async (t) => {
  t.match(await post(oda, '/api/contracts', contract({ contractId: 'C5', systemIds: ['S1', 'S3'] })), {
    status: 403, body: { code: 'Forbidden', target: { unitIds: ['u1', 'u2'] } },
  }, 'u1 names S3, owned by u2')
  t.match(await post(ota, '/api/contracts', contract({ contractId: 'C5', systemIds: ['S1', 'S3'] })), { status: 403, body: { code: 'Forbidden' } }, 'nor may u2: the contract is owned by u1')
  t.equal((await post(gso, '/api/contracts', contract({ contractId: 'C5', systemIds: ['S1', 'S3'] }))).status, 201, 'an agency-wide officer')
  for (const [url, body] of [['/api/contracts/C5/extension', { to: '2027-09-30' }], ['/api/contracts/C5/end', { endedOn: '2026-06-30' }]] as const) {
    t.match(await post(oda, url, body), { status: 403, body: { code: 'Forbidden', target: { unitIds: ['u1', 'u2'] } } }, `${url}: the contract's system S3 is u2's`)
  }
  t.equal((await post(oda, '/api/contracts/C1/extension', { to: '2028-03-31' })).status, 409, "u1's own contract (closed): past authorization, refused by the decider")
})

t.test('a retired system cannot be named in a new contract', async (t) => {
  const refused = await post(gso, '/api/contracts', contract({ contractId: 'C6', systemIds: ['S1', 'S4'] }))
  t.match(refused, { status: 409, body: { code: 'SystemsRetired', systemIds: ['S4'] } })
  t.match(refused.body.detail ?? refused.body.message, /S4 is a retired system/)
  t.match(await post(gso, '/api/contracts', contract({ contractId: 'C6', systemIds: ['S9', 'S4'] })), { status: 422, body: { code: 'SystemsNotInLedger', systemIds: ['S9'] } })
})

t.test('an extension re-checks the qualification: a contractor no longer qualified is refused, naming the unmet criteria', async (t) => {
  t.equal((await post(gso, '/api/contracts', contract({ contractId: 'C7', to: '2026-12-31' }))).status, 201)
  t.equal((await post(gso, '/api/contractors/K1/selection', { criteria: [
    { code: 'INFORMATION_LEAK_COUNTERMEASURES', met: false, evidence: 'ISMS certificate lapsed' }, { code: 'UNINTENDED_CHANGE_CONTROL', met: true },
  ] })).status, 200)
  const refused = await post(gso, '/api/contracts/C7/extension', { to: '2027-03-31' })
  t.match(refused, { status: 409, body: { code: 'ContractorNotQualified', contractorId: 'K1', unmet: ['INFORMATION_LEAK_COUNTERMEASURES'], selectionRecorded: true } })
  t.match(refused.body.detail ?? refused.body.message, /an extension is refused/)
  t.equal((await post(gso, '/api/contracts/C7/end', { endedOn: '2026-06-30' })).status, 200, 'ending it is not refused')
})
