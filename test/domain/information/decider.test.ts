// given/when/then over the information asset decider (Art. 12–14): classification, the decider rule,
// hand-over, restrictions, checked steps (refused, permitted by exceptions), copies and received information.
import t from 'tap'
import {
  informationDecider, type InformationCommand, type InformationEvent, type Provision, type StepCommandType, type StepDetails, type StepFacts,
} from '../../../src/domain/information/index.js'
import type { CommandMetadata } from '../../../src/domain/shared/decider.js'
import { given } from '../../helpers/given.js'

const NOW = '2026-06-15T10:00:00+09:00'
const meta = (actor = 'sato', over: Partial<CommandMetadata> = {}): CommandMetadata =>
  ({ actor: { id: actor, roles: [] }, agencyId: 'mof', now: NOW, correlationId: 'c', source: 'api', ...over })
const ID = 'a1'

const classify = (data: Partial<Extract<InformationCommand, { type: 'ClassifyInformation' }>['data']> = {}): InformationCommand => ({
  type: 'ClassifyInformation',
  data: { assetId: ID, title: 'Budget draft', ownerUnitId: 'u1', medium: 'ELECTRONIC', confidentiality: 3, integrity: 2, availability: 1, restrictions: [], how: 'CREATE', unitExists: true, ...data },
  metadata: meta(),
})
const classified: InformationEvent = {
  type: 'InformationClassified',
  data: {
    assetId: ID, title: 'Budget draft', ownerUnitId: 'u1', medium: 'ELECTRONIC', classes: { confidentiality: 3, integrity: 2, availability: 1 }, restrictions: [],
    origin: { how: 'CREATE' }, decider: 'sato', lineage: [], by: 'sato', at: NOW,
  },
}
const withRestrictions = (...codes: ('NO_TAKE_OUT' | 'NO_COPY' | 'NO_DELETE')[]): InformationEvent =>
  ({ type: 'HandlingRestrictionsSet', data: { assetId: ID, restrictions: codes.map((code) => ({ code })), previous: [], by: 'sato', at: NOW } })
const asset = (...events: InformationEvent[]) => given(informationDecider, classified, ...events)

const step = (type: StepCommandType, details: StepDetails, facts: Partial<StepFacts> = {}, actor = 'suzuki'): InformationCommand =>
  ({ type, data: { assetId: ID, stepId: 's1', details, facts: { covered: {}, ...facts } }, metadata: meta(actor) })
const carryOut = (facts: Partial<StepFacts> = {}) => step('CarryInformation', { step: 'CARRY', method: 'REMOVABLE_MEDIA', encrypted: false, sealed: false, destination: 'home' }, facts)

t.test('creating information classifies it; the creator is its decider', async (t) => {
  t.same(given(informationDecider).when(classify()), [classified])
  const [obtained] = given(informationDecider).when(classify({ how: 'OBTAIN', source: 'a vendor report' }))
  t.match(obtained, { data: { origin: { how: 'OBTAIN', source: 'a vendor report' }, decider: 'sato' } })
  t.throws(() => asset().when(classify()), { code: 'AssetAlreadyExists' })
  t.throws(() => given(informationDecider).when(classify({ unitExists: false })), { code: 'UnknownUnit' })
})

t.test('paper carries a confidentiality class only; electronic all three', async (t) => {
  t.throws(() => given(informationDecider).when(classify({ medium: 'PAPER' })), { code: 'ClassNotApplicableToPaper' })
  const [paper] = given(informationDecider).when(classify({ medium: 'PAPER', integrity: undefined, availability: undefined, subLevel: '2A', confidentiality: 2 }))
  t.same(paper?.type === 'InformationClassified' && paper.data.classes, { confidentiality: 2, subLevel: '2A' })
  t.throws(() => given(informationDecider).when(classify({ availability: undefined })), { code: 'ClassMissing' })
})

t.test('only the decider (or their successor) reclassifies and sets restrictions', async (t) => {
  const reclassify = (actor: string, c = 2): InformationCommand => ({ type: 'ReclassifyInformation', data: { assetId: ID, confidentiality: c, integrity: 2, availability: 1, reason: 'published in part' }, metadata: meta(actor) })
  t.throws(() => asset().when(reclassify('ciso')), { code: 'NotClassificationDecider', details: { decider: 'sato' } })
  t.match(asset().when(reclassify('sato')), [{ type: 'InformationReclassified', data: { classes: { confidentiality: 2 }, previous: { confidentiality: 3 } } }])
  t.same(asset().when(reclassify('sato', 3)), [], 'the same classes again change nothing')
  const handedOver: InformationEvent = { type: 'ClassificationHandedOver', data: { assetId: ID, from: 'sato', to: 'ito', reason: 'transfer', byOfficer: false, by: 'sato', at: NOW } }
  t.throws(() => asset(handedOver).when(reclassify('sato')), { code: 'NotClassificationDecider' }, 'the former decider no longer decides')
  t.equal(asset(handedOver).when(reclassify('ito')).length, 1)
  const restrict = (actor: string): InformationCommand => ({ type: 'SetHandlingRestrictions', data: { assetId: ID, restrictions: [{ code: 'NO_TAKE_OUT' }] }, metadata: meta(actor) })
  t.throws(() => asset().when(restrict('suzuki')), { code: 'NotClassificationDecider' })
  t.match(asset().when(restrict('sato')), [{ type: 'HandlingRestrictionsSet', data: { restrictions: [{ code: 'NO_TAKE_OUT' }], previous: [] } }])
  t.same(asset(withRestrictions('NO_TAKE_OUT')).when(restrict('sato')), [], 'the same list again changes nothing')
})

t.test('the decider hands over; once they have left, an officer of the unit does', async (t) => {
  const employees = { ito: { unitId: 'u1' }, sato: { unitId: 'u1' } }
  const handOver = (actor: string, emp: Record<string, { unitId: string; departedOn?: string }> = employees, assignments?: CommandMetadata['actor']['assignments']): InformationCommand =>
    ({ type: 'HandOverClassification', data: { assetId: ID, successorId: 'ito', reason: 'moves on', employees: emp }, metadata: meta(actor, { actor: { id: actor, roles: [], assignments } }) })
  t.match(asset().when(handOver('sato')), [{ type: 'ClassificationHandedOver', data: { from: 'sato', to: 'ito', byOfficer: false } }])
  const unitOfficer = [{ role: 'SECURITY_OFFICER' as const, scope: { kind: 'UNIT' as const, unitId: 'u1' } }]
  const otherOfficer = [{ role: 'SECURITY_OFFICER' as const, scope: { kind: 'UNIT' as const, unitId: 'u2' } }]
  t.throws(() => asset().when(handOver('kato', employees, unitOfficer)), { code: 'DeciderStillEmployed' })
  const left = { ito: { unitId: 'u1' }, sato: { unitId: 'u1', departedOn: '2026-06-14' } }
  t.match(asset().when(handOver('kato', left, unitOfficer)), [{ data: { from: 'sato', to: 'ito', byOfficer: true, by: 'kato' } }])
  t.throws(() => asset().when(handOver('kato', left, otherOfficer)), { code: 'NotClassificationDecider' }, "another unit's officer")
  t.throws(() => asset().when(handOver('suzuki', left)), { code: 'NotClassificationDecider' })
  t.equal(asset().when(handOver('kato', left, [{ role: 'GENERAL_SECURITY_OFFICER', scope: { kind: 'AGENCY' } }])).length, 1)
  const lastDay = { ito: { unitId: 'u1' }, sato: { unitId: 'u1', departedOn: '2026-06-15' } }
  t.throws(() => asset().when(handOver('kato', lastDay, unitOfficer)), { code: 'DeciderStillEmployed' }, 'on their last day they are still here')
  t.throws(() => asset().when(handOver('sato', { sato: { unitId: 'u1' } })), { code: 'UnknownEmployee' })
  t.throws(() => asset().when(handOver('sato', { ito: { unitId: 'u1', departedOn: '2026-01-01' } })), { code: 'EmployeeDeparted' })
  const toSelf: InformationCommand = { type: 'HandOverClassification', data: { assetId: ID, successorId: 'sato', reason: 'x', employees }, metadata: meta('sato') }
  t.throws(() => asset().when(toSelf), { code: 'AlreadyDecider' })
})

t.test('a step breaking no rule is recorded without exceptions', async (t) => {
  const [e] = asset().when(step('UseInformation', { step: 'USE', areaId: 'room-1', purpose: 'review' }, { areaDefined: true }))
  t.match(e, { type: 'InformationStepRecorded', data: { step: 'USE', stepId: 's1', ownerUnitId: 'u1', by: 'suzuki' } })
  t.same(e?.type === 'InformationStepRecorded' && [e.data.exceptions, e.data.exceptionIds, e.data.marking], [[], [], undefined])
  t.throws(() => asset().when(step('UseInformation', { step: 'USE', areaId: 'nowhere', purpose: 'x' }, { areaDefined: false })), { code: 'UnknownArea' })
})

t.test('a C3 document carried out without permission is refused, and the refusal is the outcome', async (t) => {
  const events = asset(withRestrictions('NO_TAKE_OUT')).when(carryOut())
  t.equal(events.length, 1)
  t.match(events[0], { type: 'InformationStepBlocked', data: { step: 'CARRY', by: 'suzuki', ownerUnitId: 'u1' } })
  t.same(events[0]?.type === 'InformationStepBlocked' && [events[0].data.rules, events[0].data.exceptions], [['NoTakeOut', 'UnsafeCarry'], []])
})

t.test('an exception covering every broken rule lets the step through, linked to it', async (t) => {
  const [e] = asset(withRestrictions('NO_TAKE_OUT')).when(carryOut({ covered: { NoTakeOut: 'ex-1', UnsafeCarry: 'ex-1' } }))
  t.same(e?.type === 'InformationStepRecorded' && [e.data.exceptions, e.data.exceptionIds], [[{ rule: 'NoTakeOut', exceptionId: 'ex-1' }, { rule: 'UnsafeCarry', exceptionId: 'ex-1' }], ['ex-1']])
  t.match(e, { data: { marking: { classes: { confidentiality: 3 }, restrictions: [{ code: 'NO_TAKE_OUT' }], decider: 'sato' } } }, 'the label travels with it')
  const [partly] = asset(withRestrictions('NO_TAKE_OUT')).when(carryOut({ covered: { NoTakeOut: 'ex-1' } }))
  t.same(partly?.type === 'InformationStepBlocked' && [partly.data.rules, partly.data.exceptions], [['UnsafeCarry'], [{ rule: 'NoTakeOut', exceptionId: 'ex-1' }]], 'one uncovered rule refuses it')
})

t.test('a deleted asset accepts no further steps', async (t) => {
  const deleted: InformationEvent = {
    type: 'InformationStepRecorded',
    data: { assetId: ID, stepId: 's0', step: 'DELETE', details: { step: 'DELETE', method: 'OVERWRITE', irrecoverable: true }, ownerUnitId: 'u1', exceptions: [], exceptionIds: [], by: 'sato', at: NOW },
  }
  t.throws(() => asset(deleted).when(carryOut()), { code: 'AssetDeleted' })
  t.throws(() => given(informationDecider).when(carryOut()), { code: 'AssetNotFound' })
})

t.test('providing to another agency needs a registered agency other than your own', async (t) => {
  const provide = (toAgencyId: string, registered: boolean) => step('ProvideInformation', { step: 'PROVIDE', toAgencyId, recipient: 'x', purpose: 'y' }, { recipientRegistered: registered })
  t.throws(() => asset().when(provide('mof', true)), { code: 'OwnAgencyRecipient' })
  t.throws(() => asset().when(provide('nowhere', false)), { code: 'UnknownAgency' })
  t.match(asset().when(provide('mic', true)), [{ type: 'InformationStepRecorded', data: { marking: { title: 'Budget draft' } } }])
})

t.test('a copy inherits classes, restrictions and decider; only an electronic copy of paper adds I and A', async (t) => {
  const copy = (d: Partial<Extract<StepDetails, { step: 'COPY' }>> = {}, unitExists = true) =>
    step('CopyInformation', { step: 'COPY', copyAssetId: 'c1', title: 'Copy', ownerUnitId: 'u1', medium: 'ELECTRONIC', ...d }, { unitExists })
  t.match(asset(withRestrictions('NO_DELETE')).when(copy()), [{ data: { marking: { classes: { confidentiality: 3, integrity: 2, availability: 1 }, restrictions: [{ code: 'NO_DELETE' }], decider: 'sato', lineage: [ID] } } }])
  t.match(asset().when(copy({ medium: 'PAPER' })), [{ data: { marking: { medium: 'PAPER', classes: { confidentiality: 3, integrity: undefined } } } }])
  t.throws(() => asset().when(copy({ integrity: 1 })), { code: 'ClassInherited' })
  t.throws(() => asset().when(copy({}, false)), { code: 'UnknownUnit' })
  t.match(asset(withRestrictions('NO_COPY')).when(copy()), [{ type: 'InformationStepBlocked', data: { rules: ['NoCopy'] } }])
  const paper = given(informationDecider, { ...classified, data: { ...classified.data, medium: 'PAPER', classes: { confidentiality: 2 } } } as InformationEvent)
  t.throws(() => paper.when(copy()), { code: 'ClassMissing' })
  t.match(paper.when(copy({ integrity: 2, availability: 2 })), [{ data: { marking: { classes: { confidentiality: 2, integrity: 2, availability: 2 } } } }])
  const create: InformationCommand = { type: 'CreateCopy', data: { assetId: 'c1', sourceAssetId: ID, ownerUnitId: 'u2', marking: { title: 'Copy', medium: 'PAPER', classes: { confidentiality: 3 }, restrictions: [], decider: 'sato', lineage: [ID] } }, metadata: meta('suzuki') }
  t.match(given(informationDecider).when(create), [{ type: 'InformationClassified', data: { assetId: 'c1', origin: { how: 'COPY', sourceAssetId: ID }, decider: 'sato', lineage: [ID], by: 'suzuki' } }])
})

t.test('provided information is taken in with what travelled with it; the obtainer decides from now on', async (t) => {
  const provision: Provision = { fromAgencyId: 'mic', assetId: 'p1', stepId: 's9', title: 'Joint report', medium: 'PAPER', classes: { confidentiality: 2 }, restrictions: [{ code: 'NO_COPY' }], providedBy: 'kato', providedAt: NOW }
  const accept = (p: Provision | undefined, unitExists = true): InformationCommand =>
    ({ type: 'AcceptProvidedInformation', data: { fromAgencyId: 'mic', assetId: 'p1', ownerUnitId: 'u1', newAssetId: 'n1', provision: p, unitExists }, metadata: meta('ito') })
  t.match(given(informationDecider).when(accept(provision)), [{
    type: 'InformationClassified',
    data: { assetId: 'n1', classes: { confidentiality: 2 }, restrictions: [{ code: 'NO_COPY' }], origin: { how: 'RECEIVE', fromAgencyId: 'mic', fromAssetId: 'p1', provisionStepId: 's9' }, decider: 'ito' },
  }])
  t.throws(() => given(informationDecider).when(accept(undefined)), { code: 'ProvidedInformationNotFound' })
  t.throws(() => given(informationDecider).when(accept(provision, false)), { code: 'UnknownUnit' })
  t.throws(() => given(informationDecider, { ...classified, data: { ...classified.data, assetId: 'n1' } } as InformationEvent).when(accept(provision)), { code: 'AlreadyAccepted' })
})

// What travelled with received information is a floor for the receiver (Art. 13 §3).
const travelled: InformationEvent = {
  type: 'InformationClassified',
  data: {
    assetId: ID, title: 'Joint report', ownerUnitId: 'u1', medium: 'ELECTRONIC', classes: { confidentiality: 2, integrity: 2, availability: 1 },
    restrictions: [{ code: 'NO_COPY' }, { code: 'AUDIENCE_LIMITED', audience: ['mof', 'mic'] }],
    origin: { how: 'RECEIVE', fromAgencyId: 'mic', fromAssetId: 'p1', provisionStepId: 's9', providedBy: 'kato', providedAt: NOW }, decider: 'ito', lineage: [], by: 'ito', at: NOW,
  },
}
const restrictAs = (restrictions: Extract<InformationCommand, { type: 'SetHandlingRestrictions' }>['data']['restrictions']): InformationCommand =>
  ({ type: 'SetHandlingRestrictions', data: { assetId: ID, restrictions }, metadata: meta('ito') })
const reclassifyAs = (confidentiality: number, integrity: number, availability: number): InformationCommand =>
  ({ type: 'ReclassifyInformation', data: { assetId: ID, confidentiality, integrity, availability, reason: 'r' }, metadata: meta('ito') })

t.test('the receiver adds restrictions to received information but lifts none of those that travelled', async (t) => {
  const kept = [{ code: 'NO_COPY' as const }, { code: 'AUDIENCE_LIMITED' as const, audience: ['mof', 'mic'] }]
  t.match(given(informationDecider, travelled).when(restrictAs([...kept, { code: 'NO_SEND' }])), [{ type: 'HandlingRestrictionsSet' }])
  t.throws(() => given(informationDecider, travelled).when(restrictAs([])), { code: 'InheritedMarking', details: { fromAgencyId: 'mic', restrictions: ['NO_COPY', 'AUDIENCE_LIMITED'] } })
  t.throws(() => given(informationDecider, travelled).when(restrictAs([kept[0]!, { code: 'AUDIENCE_LIMITED', audience: ['mof', 'mic', 'everyone'] }])),
    { code: 'InheritedMarking', details: { restrictions: ['AUDIENCE_LIMITED'] } }, 'widening the audience lifts it')
  t.same(given(informationDecider, travelled).when(restrictAs(kept)), [], 'the restrictions as they travelled change nothing')
})

t.test('the receiver raises the classes of received information but never below what travelled', async (t) => {
  t.match(given(informationDecider, travelled).when(reclassifyAs(3, 2, 2)), [{ type: 'InformationReclassified', data: { classes: { confidentiality: 3 } } }])
  t.throws(() => given(informationDecider, travelled).when(reclassifyAs(1, 2, 1)), { code: 'InheritedMarking', details: { classes: [{ axis: 'confidentiality', travelled: 2, given: 1 }] } })
  t.throws(() => given(informationDecider, travelled).when(reclassifyAs(2, 1, 1)), { code: 'InheritedMarking', details: { classes: [{ axis: 'integrity', travelled: 2, given: 1 }] } })
  const created = given(informationDecider, classified)
  t.match(created.when({ ...reclassifyAs(1, 1, 1), metadata: meta('sato') }), [{ type: 'InformationReclassified' }], 'own information has no floor')
})

t.test('a copy of received information carries the floor with it, and sending it is forwarding', async (t) => {
  const copyStep = step('CopyInformation', { step: 'COPY', copyAssetId: 'c1', title: 'Copy', ownerUnitId: 'u1', medium: 'PAPER' }, { unitExists: true, covered: { NoCopy: 'ex-1' } })
  const [recorded] = given(informationDecider, travelled).when(copyStep)
  const marking = recorded?.type === 'InformationStepRecorded' ? recorded.data.marking : undefined
  t.match(marking, { received: { fromAgencyId: 'mic', classes: { confidentiality: 2, integrity: 2 }, restrictions: [{ code: 'NO_COPY' }, { code: 'AUDIENCE_LIMITED' }] } })
  if (!marking) return
  const [copy] = given(informationDecider).when({ type: 'CreateCopy', data: { assetId: ID, sourceAssetId: 'src', ownerUnitId: 'u1', marking }, metadata: meta('suzuki') })
  if (!copy) return t.fail('no copy')
  t.throws(() => given(informationDecider, copy).when(restrictAs([{ code: 'NO_COPY' }])), { code: 'InheritedMarking', details: { restrictions: ['AUDIENCE_LIMITED'] } })
  t.throws(() => given(informationDecider, copy).when({ type: 'ReclassifyInformation', data: { assetId: ID, confidentiality: 1, reason: 'r' }, metadata: meta('ito') }), { code: 'InheritedMarking' })
  const forwardable: InformationEvent = { type: 'HandlingRestrictionsSet', data: { assetId: ID, restrictions: [{ code: 'NO_COPY' }, { code: 'AUDIENCE_LIMITED', audience: ['mof', 'mic'] }, { code: 'NO_FORWARD' }], previous: [], by: 'ito', at: NOW } }
  const sendOn = step('SendInformation', { step: 'SEND', channel: 'EMAIL', recipient: 'mof', toOutsideGovernment: false, encrypted: true, forwarding: false })
  t.match(given(informationDecider, copy, forwardable).when(sendOn), [{ type: 'InformationStepBlocked', data: { rules: ['NoForward'] } }], 'the client said it is not forwarding')
})

t.test('deleting paper, or destroying a medium, records how the medium was disposed of', async (t) => {
  const del = (method: 'SHREDDING' | 'OVERWRITE' | 'PHYSICAL_DESTRUCTION', mediaDisposal?: string) =>
    step('DeleteInformation', { step: 'DELETE', method, irrecoverable: true, ...(mediaDisposal === undefined ? {} : { mediaDisposal }) })
  const paper = given(informationDecider, { ...classified, data: { ...classified.data, medium: 'PAPER', classes: { confidentiality: 2 } } } as InformationEvent)
  t.throws(() => paper.when(del('SHREDDING')), { code: 'MediaDisposalMissing' })
  t.match(paper.when(del('SHREDDING', 'cross-cut shredder, certificate 17')), [{ type: 'InformationStepRecorded' }])
  t.throws(() => asset().when(del('PHYSICAL_DESTRUCTION')), { code: 'MediaDisposalMissing' }, 'an electronic record whose medium is destroyed')
  t.match(asset().when(del('OVERWRITE')), [{ type: 'InformationStepRecorded' }], 'overwriting keeps the medium')
})
