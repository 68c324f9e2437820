// The ledger entry of a system (Art. 17): registration, updates that name the fields they replace,
// document versions (all kept), and reviews at any stage (Art. 18) that move the next review date.
import { DomainError } from '../shared/errors.js'
import { tokyoDate } from '../shared/fiscal-year.js'
import type { LedgerFacts, LedgerFieldName, RecordSystemDocument, RecordSystemReview, RegisterInformationSystem, UpdateInformationSystemLedger } from './commands.js'
import type { LedgerValues, StoredDocument, SystemEvent } from './events.js'
import { requireLedgerComplete } from './lifecycle.js'
import { documentOf, evolveSystem, requireActiveSystem, type SystemRecord, type SystemState } from './state.js'
import type { SystemDocumentInput } from './values.js'

const unique = <T>(values: readonly T[]): T[] => [...new Set(values)]

/** The owner unit exists and the security officer is an employee here who has not left. */
function checkFacts(data: LedgerFacts & { ownerUnitId?: string | undefined; securityOfficerId?: string | undefined }, now: string): void {
  if (data.ownerUnitId !== undefined && data.ownerUnitExists !== true) {
    throw new DomainError('UnknownUnit', `unit ${data.ownerUnitId} does not exist in your agency; create it first`, { unitId: data.ownerUnitId })
  }
  if (data.securityOfficerId === undefined) return
  const officer = data.securityOfficer
  if (!officer) throw new DomainError('UnknownEmployee', `employee ${data.securityOfficerId} is not registered in your agency; the system security officer is one of your employees`, { employeeId: data.securityOfficerId })
  if (officer.departedOn !== undefined && officer.departedOn < tokyoDate(now)) {
    throw new DomainError('EmployeeDeparted', `employee ${data.securityOfficerId} left on ${officer.departedOn}; name a current employee`, { employeeId: data.securityOfficerId })
  }
}

/** A document's id defaults to its kind; a second document of a kind needs an id of its own. */
export const documentIdOf = (d: Pick<SystemDocumentInput, 'documentId' | 'kind'>) => d.documentId ?? d.kind

function checkDocument(documents: SystemRecord['documents'], d: StoredDocument): void {
  const existing = documentOf(documents, d.documentId)
  if (existing && existing.kind !== d.kind) {
    throw new DomainError('DocumentKindMismatch', `document ${d.documentId} is a ${existing.kind} document; give a new ${d.kind} document an id of its own (documentId)`, { documentId: d.documentId, kind: existing.kind })
  }
  if (existing?.versions.some((v) => v.version === d.version)) {
    throw new DomainError('DocumentVersionExists', `version ${d.version} of document ${d.documentId} is already recorded; record a new version label`, { documentId: d.documentId, version: d.version })
  }
}

export function register(command: RegisterInformationSystem, state: SystemState): SystemEvent[] {
  const { ownerUnitExists: _u, securityOfficer: _o, documents, informationClasses, contractorIds, ...d } = command.data
  const { actor, now } = command.metadata
  if (state.system) throw new DomainError('SystemAlreadyExists', `information system ${d.systemId} is already in your agency's ledger; update it instead`, { systemId: d.systemId })
  checkFacts(command.data, now)
  const stored: StoredDocument[] = documents.map((doc) => ({ documentId: documentIdOf(doc), kind: doc.kind, title: doc.title, version: doc.version, issuedOn: doc.issuedOn }))
  stored.reduce<SystemRecord['documents']>((acc, doc) => {
    checkDocument(acc, doc)
    return { ...acc, [doc.documentId]: { kind: doc.kind, versions: [...(acc[doc.documentId]?.versions ?? []), { version: doc.version, recordedBy: actor.id }] } }
  }, {})
  const event: SystemEvent = {
    type: 'SystemRegistered',
    data: { ...d, informationClasses: unique(informationClasses), contractorIds: unique(contractorIds), documents: stored, by: actor.id, at: now },
  }
  const entered = evolveSystem({}, event).system
  if (entered && d.stage === 'OPERATION') requireLedgerComplete(entered, 'be entered in operation')
  return [event]
}

/** Stages reached through operation, where the ledger entry must stay complete. */
const STAGES_NEEDING_COMPLETE_LEDGER: readonly string[] = ['OPERATION', 'RENEWAL', 'DISPOSAL']

const ledgerOrder: readonly LedgerFieldName[] = [
  'name', 'purpose', 'ownerUnitId', 'securityOfficerId', 'informationClasses', 'hosting', 'contractorIds', 'internetFacing', 'criticality', 'reviewDueOn',
]

/** JSON with sorted keys, so values compare whatever the order their members came in. */
const canonical = (v: unknown): string => JSON.stringify(v, (_k, x: unknown) =>
  x !== null && typeof x === 'object' && !Array.isArray(x) ? Object.fromEntries(Object.entries(x).sort(([a], [b]) => a.localeCompare(b))) : x)

export function updateLedger(command: UpdateInformationSystemLedger, state: SystemState): SystemEvent[] {
  const { systemId } = command.data
  const { actor, now } = command.metadata
  const s = requireActiveSystem(state, systemId)
  checkFacts(command.data, now)
  const values: Record<string, unknown> = {}
  const previous: Record<string, unknown> = {}
  for (const field of ledgerOrder) {
    const raw = command.data[field]
    if (raw === undefined) continue
    const value = Array.isArray(raw) ? unique(raw) : raw
    if (canonical(value) === canonical(s[field])) continue
    values[field] = value
    previous[field] = s[field]
  }
  const changed = ledgerOrder.filter((f) => f in values)
  if (changed.length === 0) return []
  // From operation on the entry stays complete: an update may not take away what operation required.
  if (STAGES_NEEDING_COMPLETE_LEDGER.includes(s.stage)) requireLedgerComplete({ ...s, ...(values as Partial<typeof s>) }, `lose ${changed.join(', ')} while in ${s.stage}`)
  return [{ type: 'SystemLedgerUpdated', data: { systemId, changed, values: values as LedgerValues, previous: previous as LedgerValues, by: actor.id, at: now } }]
}

export function recordDocument(command: RecordSystemDocument, state: SystemState): SystemEvent[] {
  const { systemId, kind, title, version, issuedOn } = command.data
  const s = requireActiveSystem(state, systemId)
  const doc: StoredDocument = { documentId: documentIdOf(command.data), kind, title, version, issuedOn }
  checkDocument(s.documents, doc)
  return [{ type: 'SystemDocumentRecorded', data: { systemId, ...doc, newDocument: documentOf(s.documents, doc.documentId) === undefined, by: command.metadata.actor.id, at: command.metadata.now } }]
}

export function review(command: RecordSystemReview, state: SystemState): SystemEvent[] {
  const { systemId, findings, nextReviewDueOn } = command.data
  const { actor, now } = command.metadata
  const s = requireActiveSystem(state, systemId)
  if (nextReviewDueOn !== undefined && nextReviewDueOn <= tokyoDate(now)) {
    throw new DomainError('ReviewDateNotInFuture', `the next review (${nextReviewDueOn}) must be after today (Japan time)`, { nextReviewDueOn })
  }
  return [{ type: 'SystemReviewed', data: { systemId, stage: s.stage, findings, previousReviewDueOn: s.reviewDueOn, nextReviewDueOn, by: actor.id, at: now } }]
}
