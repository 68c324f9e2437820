// given/when/then over the system decider, ledger and lifecycle (Art. 17–18): registration with its
// checks (unit, officer, documents, entering in operation), updates naming the fields changed, document
// versions, every stage transition and guard (requirements approved by someone else, a complete ledger,
// confirmed erasure), reviews, and a retired system refusing everything.
import t from 'tap'
import type { Actor, CommandMetadata } from '../../../src/domain/shared/decider.js'
import {
  highestClass, ledgerGaps, nextStages, RegisterInformationSystemInput, systemDecider, systemStages, systemStreamId, UpdateInformationSystemLedgerInput,
  type SystemCommand, type SystemEvent, type SystemStage,
} from '../../../src/domain/system/index.js'
import { given } from '../../helpers/given.js'

const NOW = '2026-07-01T10:00:00+09:00'
const gso: Actor = { id: 'gso', roles: ['GENERAL_SECURITY_OFFICER'] }
const sso: Actor = { id: 'sso', roles: ['SYSTEM_SECURITY_OFFICER'] }
const ciso: Actor = { id: 'ciso', roles: ['CISO'] }

const cmd = <T extends SystemCommand['type']>(type: T, data: Extract<SystemCommand, { type: T }>['data'], actor: Actor = gso, now = NOW) =>
  ({ type, data, metadata: { actor, agencyId: 'mof', now, correlationId: 'c', source: 'api' } satisfies CommandMetadata }) as Extract<SystemCommand, { type: T }>

const base = RegisterInformationSystemInput.parse({
  systemId: 'SYS-1', name: 'e-Filing', purpose: 'tax returns online', ownerUnitId: 'it', informationClasses: ['C3I2A2', 'C2I1A1', 'C3I2A2'],
  internetFacing: true, criticality: 'HIGH', contractorIds: ['acme', 'acme'],
})
const facts = { ownerUnitExists: true }
const officer = { unitId: 'it', since: '2020-04-01' }
const complete = {
  ...base, securityOfficerId: 'sso', securityOfficer: officer, hosting: { kind: 'CLOUD' as const, provider: 'p', service: 's', ismapRegistered: true },
  documents: [
    { kind: 'DESIGN' as const, title: 'Design', version: '1.0', issuedOn: '2026-04-01' },
    { kind: 'OPERATION_MANUAL' as const, title: 'Ops', version: '1.0', issuedOn: '2026-04-01' },
  ],
}
const registered: SystemEvent = {
  type: 'SystemRegistered',
  data: {
    systemId: 'SYS-1', name: 'e-Filing', purpose: 'tax returns online', ownerUnitId: 'it', informationClasses: ['C3I2A2', 'C2I1A1'], contractorIds: ['acme'],
    internetFacing: true, criticality: 'HIGH', documents: [], stage: 'PLANNING', by: 'gso', at: NOW,
  },
}
const sr = (version: string, by = 'sso', documentId = 'SECURITY_REQUIREMENTS'): SystemEvent => ({
  type: 'SystemDocumentRecorded', data: { systemId: 'SYS-1', documentId, kind: 'SECURITY_REQUIREMENTS', title: 'SR', version, issuedOn: '2026-05-01', newDocument: version === '1', by, at: NOW },
})
const approved = (version: string): SystemEvent => ({
  type: 'SecurityRequirementsApproved', data: { systemId: 'SYS-1', documentId: 'SECURITY_REQUIREMENTS', documentVersion: version, recordedBy: 'sso', by: 'gso', at: NOW },
})
const stage = (from: SystemStage, to: SystemStage): SystemEvent => ({ type: 'SystemStageChanged', data: { systemId: 'SYS-1', from, to, by: 'gso', at: NOW } })
const completed: SystemEvent = {
  type: 'SystemLedgerUpdated',
  data: { systemId: 'SYS-1', changed: ['securityOfficerId', 'hosting'], values: { securityOfficerId: 'sso', hosting: { kind: 'ON_PREMISES' } }, previous: {}, by: 'gso', at: NOW },
}
const doc = (kind: 'DESIGN' | 'OPERATION_MANUAL'): SystemEvent => ({
  type: 'SystemDocumentRecorded', data: { systemId: 'SYS-1', documentId: kind, kind, title: kind, version: '1', issuedOn: '2026-05-01', newDocument: true, by: 'sso', at: NOW },
})
const inAcceptance = [registered, sr('1'), approved('1'), stage('PLANNING', 'PROCUREMENT'), stage('PROCUREMENT', 'CONSTRUCTION'), stage('CONSTRUCTION', 'ACCEPTANCE')]
const inOperation = [...inAcceptance, completed, doc('DESIGN'), doc('OPERATION_MANUAL'), stage('ACCEPTANCE', 'OPERATION')]
const erased: SystemEvent = { type: 'SystemDataErasureConfirmed', data: { systemId: 'SYS-1', method: 'crypto erase', confirmedOn: '2026-06-30', by: 'sso', at: NOW } }
const retired = [...inOperation, stage('OPERATION', 'DISPOSAL'), erased, stage('DISPOSAL', 'RETIRED')]
const x = (...events: SystemEvent[]) => given(systemDecider, ...events)
const to = (target: SystemStage, actor = gso) => cmd('ChangeSystemStage', { systemId: 'SYS-1', to: target }, actor)

t.test('registration: in PLANNING by default; classes and contractors deduplicated; the highest class is derived', async (t) => {
  t.same(x().when(cmd('RegisterInformationSystem', { ...base, ...facts })), [registered])
  t.equal(systemStreamId('SYS-1'), 'system-SYS-1')
  t.same(highestClass(['C2', 'C1I2A1', 'C2I1A2']), { label: 'C2I2A2', confidentiality: 2 })
  t.equal(highestClass([]), undefined)
  t.throws(() => x(registered).when(cmd('RegisterInformationSystem', { ...base, ...facts })), { code: 'SystemAlreadyExists' })
})

t.test('registration is checked: owner unit, security officer, documents, hosting, class labels', async (t) => {
  const reg = (over: object) => () => x().when(cmd('RegisterInformationSystem', { ...base, ...facts, ...over }))
  t.throws(reg({ ownerUnitExists: false }), { code: 'UnknownUnit' })
  t.throws(reg({ securityOfficerId: 'ghost' }), { code: 'UnknownEmployee' })
  t.throws(reg({ securityOfficerId: 'old', securityOfficer: { unitId: 'it', departedOn: '2026-06-30' } }), { code: 'EmployeeDeparted' })
  t.doesNotThrow(reg({ securityOfficerId: 'leaving', securityOfficer: { unitId: 'it', departedOn: '2026-07-01' } }), 'an officer leaving today is still here')
  const d = { kind: 'DESIGN', title: 'D', version: '1', issuedOn: '2026-04-01' }
  t.throws(reg({ documents: [d, d] }), { code: 'DocumentVersionExists' })
  t.throws(reg({ documents: [d, { ...d, kind: 'OTHER', version: '2', documentId: 'DESIGN' }] }), { code: 'DocumentKindMismatch' })
  t.doesNotThrow(reg({ documents: [d, { ...d, version: '2' }] }), 'two versions of one document')
  t.notOk(RegisterInformationSystemInput.safeParse({ ...base, hosting: { kind: 'CLOUD' } }).success, 'a cloud service says whether it is ISMAP-registered')
  t.ok(RegisterInformationSystemInput.safeParse({ ...base, hosting: { kind: 'ON_PREMISES' } }).success)
  t.notOk(RegisterInformationSystemInput.safeParse({ ...base, informationClasses: ['C4'] }).success)
  t.notOk(RegisterInformationSystemInput.safeParse({ ...base, stage: 'CONSTRUCTION' }).success, 'only PLANNING or OPERATION to start with')
})

t.test('an existing system is entered in OPERATION only with a complete ledger entry', async (t) => {
  const error = { code: 'LedgerEntryIncomplete', details: { missing: ['securityOfficerId', 'hosting', 'documents.DESIGN', 'documents.OPERATION_MANUAL'] } }
  t.throws(() => x().when(cmd('RegisterInformationSystem', { ...base, ...facts, stage: 'OPERATION' })), error)
  const [event] = x().when(cmd('RegisterInformationSystem', { ...complete, ...facts, stage: 'OPERATION' }))
  t.match(event, { type: 'SystemRegistered', data: { stage: 'OPERATION', documents: [{ documentId: 'DESIGN' }, { documentId: 'OPERATION_MANUAL' }] } })
})

t.test('an update names the fields it replaces with their previous values; nothing changed records nothing', async (t) => {
  const upd = (over: object) => cmd('UpdateInformationSystemLedger', { systemId: 'SYS-1', ...over } as never)
  t.same(x(registered).when(upd({ criticality: 'CRITICAL', name: 'e-Filing', informationClasses: ['C2I1A1', 'C2I1A1'] })), [{
    type: 'SystemLedgerUpdated',
    data: { systemId: 'SYS-1', changed: ['informationClasses', 'criticality'], values: { informationClasses: ['C2I1A1'], criticality: 'CRITICAL' }, previous: { informationClasses: ['C3I2A2', 'C2I1A1'], criticality: 'HIGH' }, by: 'gso', at: NOW },
  }])
  t.same(x(registered).when(upd({ name: 'e-Filing', contractorIds: ['acme'] })), [])
  t.same(x(registered, completed).when(upd({ hosting: { kind: 'ON_PREMISES' } })), [], 'the same hosting is no change')
  t.throws(() => x(registered).when(upd({ ownerUnitId: 'nope', ownerUnitExists: false })), { code: 'UnknownUnit' })
  t.throws(() => x(registered).when(upd({ securityOfficerId: 'ghost' })), { code: 'UnknownEmployee' })
  t.throws(() => x().when(upd({ name: 'n' })), { code: 'SystemNotFound' })
  t.notOk(UpdateInformationSystemLedgerInput.safeParse({}).success, 'at least one field')
})

t.test('documents: a new version of a document, every version kept; the same version twice is refused', async (t) => {
  const rec = (over: object) => cmd('RecordSystemDocument', { systemId: 'SYS-1', kind: 'SECURITY_REQUIREMENTS', title: 'SR', version: '2', issuedOn: '2026-05-01', ...over } as never, sso)
  t.match(x(registered, sr('1')).when(rec({})), [{ type: 'SystemDocumentRecorded', data: { documentId: 'SECURITY_REQUIREMENTS', version: '2', newDocument: false, by: 'sso' } }])
  t.throws(() => x(registered, sr('1')).when(rec({ version: '1' })), { code: 'DocumentVersionExists' })
  t.throws(() => x(registered, sr('1')).when(rec({ kind: 'DESIGN', documentId: 'SECURITY_REQUIREMENTS' })), { code: 'DocumentKindMismatch' })
  t.match(x(registered).when(rec({ kind: 'OTHER', documentId: 'test-plan' })), [{ data: { documentId: 'test-plan', newDocument: true } }])
  const state = x(registered, sr('1'), sr('2')).state()
  t.same(state.system?.documents.SECURITY_REQUIREMENTS?.versions.map((v) => v.version), ['1', '2'])
})

t.test('stages move only along the lifecycle; a refusal names the stages allowed', async (t) => {
  t.same(systemStages.filter((s) => nextStages[s].length === 0), ['RETIRED'])
  t.throws(() => x(registered).when(to('OPERATION')), { code: 'SystemStageTransitionNotAllowed', details: { from: 'PLANNING', allowed: ['PROCUREMENT'] } })
  t.throws(() => x(registered).when(to('PLANNING')), { code: 'SystemStageTransitionNotAllowed' }, 'not to the same stage')
  t.throws(() => x(...inOperation).when(to('RETIRED')), { code: 'SystemStageTransitionNotAllowed', details: { allowed: ['RENEWAL', 'DISPOSAL'] } })
  t.match(x(...inOperation).when(to('RENEWAL', sso)), [{ type: 'SystemStageChanged', data: { from: 'OPERATION', to: 'RENEWAL', by: 'sso' } }])
  t.match(x(...inOperation, stage('OPERATION', 'RENEWAL')).when(to('OPERATION')), [{ data: { from: 'RENEWAL', to: 'OPERATION' } }])
  t.match(x(...inOperation, stage('OPERATION', 'RENEWAL')).when(to('PROCUREMENT')), [{ data: { to: 'PROCUREMENT' } }], 'renewal back to procurement with the requirements approved')
})

t.test('procurement needs security requirements, their latest version approved', async (t) => {
  t.throws(() => x(registered).when(to('PROCUREMENT')), { code: 'SecurityRequirementsNotApproved', details: { missing: 'SECURITY_REQUIREMENTS' } })
  t.throws(() => x(registered, sr('1')).when(to('PROCUREMENT')), { code: 'SecurityRequirementsNotApproved', message: /ApproveSecurityRequirements/, details: { unapproved: [{ documentId: 'SECURITY_REQUIREMENTS', version: '1' }] } })
  t.throws(() => x(registered, sr('1'), approved('1'), sr('2')).when(to('PROCUREMENT')), { code: 'SecurityRequirementsNotApproved', details: { unapproved: [{ version: '2' }] } }, 'a newer version needs its own approval')
  t.match(x(registered, sr('1'), approved('1')).when(to('PROCUREMENT')), [{ data: { from: 'PLANNING', to: 'PROCUREMENT' } }])
})

t.test('approving security requirements: never by whoever recorded the version; the version must exist', async (t) => {
  const approve = (over: object, actor = gso) => cmd('ApproveSecurityRequirements', { systemId: 'SYS-1', documentVersion: '1', ...over } as never, actor)
  t.same(x(registered, sr('1')).when(approve({})), [approved('1')])
  t.throws(() => x(registered, sr('1', 'gso')).when(approve({})), { code: 'SelfApproval', details: { recordedBy: 'gso' } })
  t.throws(() => x(registered, sr('1')).when(approve({ documentVersion: '9' })), { code: 'DocumentNotFound' })
  t.throws(() => x(registered, doc('DESIGN')).when(approve({ documentId: 'DESIGN' })), { code: 'DocumentNotFound' }, 'only SECURITY_REQUIREMENTS documents are approved')
  const other = sr('1', 'sso', 'sr-network')
  t.throws(() => x(registered, sr('1'), other).when(approve({})), { code: 'DocumentAmbiguous', details: { documentIds: ['SECURITY_REQUIREMENTS', 'sr-network'] } })
  t.match(x(registered, sr('1'), other).when(approve({ documentId: 'sr-network' })), [{ data: { documentId: 'sr-network' } }])
  t.same(x(registered, sr('1'), approved('1')).when(approve({}, ciso)), [], 'approved once is enough')
})

t.test('operation needs a complete ledger entry; the refusal lists the missing fields', async (t) => {
  t.throws(() => x(...inAcceptance).when(to('OPERATION')), {
    code: 'LedgerEntryIncomplete', details: { missing: ['securityOfficerId', 'hosting', 'documents.DESIGN', 'documents.OPERATION_MANUAL'] },
  })
  t.throws(() => x(...inAcceptance, completed, doc('DESIGN')).when(to('OPERATION')), { code: 'LedgerEntryIncomplete', details: { missing: ['documents.OPERATION_MANUAL'] } })
  const noClasses: SystemEvent = { type: 'SystemLedgerUpdated', data: { systemId: 'SYS-1', changed: ['informationClasses'], values: { informationClasses: [] }, previous: {}, by: 'gso', at: NOW } }
  t.same(ledgerGaps(x(...inOperation, noClasses).state().system!), ['informationClasses'])
  t.match(x(...inAcceptance, completed, doc('DESIGN'), doc('OPERATION_MANUAL')).when(to('OPERATION')), [{ data: { to: 'OPERATION' } }])
})

t.test('retirement needs confirmed data erasure, confirmed during disposal and not in the future', async (t) => {
  const disposal = [...inOperation, stage('OPERATION', 'DISPOSAL')]
  const erase = (over: object = {}) => cmd('ConfirmSystemDataErasure', { systemId: 'SYS-1', method: 'crypto erase', confirmedOn: '2026-06-30', ...over }, sso)
  t.throws(() => x(...disposal).when(to('RETIRED')), { code: 'DataErasureNotConfirmed', message: /ConfirmSystemDataErasure/ })
  t.throws(() => x(...inOperation).when(erase()), { code: 'SystemNotInDisposal', details: { stage: 'OPERATION' } })
  t.throws(() => x(...disposal).when(erase({ confirmedOn: '2026-07-02' })), { code: 'ErasureDateInFuture' })
  t.same(x(...disposal).when(erase()), [erased])
  t.match(x(...disposal, erased).when(to('RETIRED')), [{ data: { from: 'DISPOSAL', to: 'RETIRED' } }])
})

t.test('a retired system takes no command at all', async (t) => {
  const commands: SystemCommand[] = [
    cmd('UpdateInformationSystemLedger', { systemId: 'SYS-1', name: 'x' }),
    cmd('RecordSystemDocument', { systemId: 'SYS-1', kind: 'OTHER', documentId: 'late', title: 't', version: '1', issuedOn: '2026-06-01' }),
    to('DISPOSAL'),
    cmd('ApproveSecurityRequirements', { systemId: 'SYS-1', documentVersion: '1' }),
    cmd('ConfirmSystemDataErasure', { systemId: 'SYS-1', method: 'm', confirmedOn: '2026-06-30' }),
    cmd('RecordSystemReview', { systemId: 'SYS-1', findings: 'f' }),
    cmd('SetCryptoPolicy', { systemId: 'SYS-1', edition: 'CRYPTREC-2022', algorithms: [{ use: 'u', algorithm: 'AES' }] }),
    cmd('RecordContinuityPlan', { systemId: 'SYS-1', version: '1', measures: ['m'] }),
    cmd('RecordContinuityExercise', { systemId: 'SYS-1', heldOn: '2026-06-01', scenario: 's', securityMeasuresHeld: true, findings: [] }),
    cmd('RecordInternetServiceMeasures', {
      systemId: 'SYS-1', serviceName: 'www', domain: 'www.example.go.jp',
      measures: { tls: { enabled: true, minVersion: '1.3' }, domainAuthenticity: { dnssec: true }, noInsecureContent: { noPlugins: true, noUnsignedDownloads: true } },
    }),
  ]
  for (const c of commands) t.throws(() => x(...retired).when(c), { code: 'SystemRetired' }, c.type)
  t.throws(() => x(...retired).when(cmd('RegisterInformationSystem', { ...base, ...facts })), { code: 'SystemAlreadyExists' })
})

t.test('a review at any stage moves the next review date (or clears it); the next date is after today', async (t) => {
  const rev = (over: object = {}) => cmd('RecordSystemReview', { systemId: 'SYS-1', findings: 'ok', ...over }, sso)
  const withDue: SystemEvent = { type: 'SystemLedgerUpdated', data: { systemId: 'SYS-1', changed: ['reviewDueOn'], values: { reviewDueOn: '2026-06-01' }, previous: {}, by: 'gso', at: NOW } }
  const [reviewed] = x(registered, withDue).when(rev({ nextReviewDueOn: '2027-06-01' }))
  t.match(reviewed, { type: 'SystemReviewed', data: { stage: 'PLANNING', previousReviewDueOn: '2026-06-01', nextReviewDueOn: '2027-06-01' } })
  t.equal(x(registered, withDue, reviewed!).state().system?.reviewDueOn, '2027-06-01')
  const [cleared] = x(registered, withDue).when(rev())
  t.equal(x(registered, withDue, cleared!).state().system?.reviewDueOn, undefined)
  t.throws(() => x(registered).when(rev({ nextReviewDueOn: '2026-07-01' })), { code: 'ReviewDateNotInFuture' })
  t.match(x(...inOperation).when(rev()), [{ data: { stage: 'OPERATION' } }])
})
