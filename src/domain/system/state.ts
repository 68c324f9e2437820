// The state a system's decisions need, folded from its stream: its ledger fields (an update compares
// them), its stage, document versions with who recorded them, approvals, erasure and plan versions.
// What people want to see is in the read model (src/projections/systems.ts).
import { DomainError } from '../shared/errors.js'
import type { LedgerValues, StoredDocument, SystemEvent } from './events.js'
import type { Criticality, DocumentKind, Hosting, SystemStage } from './values.js'

export interface DocumentRecord {
  kind: DocumentKind
  /** Versions in the order recorded; the last is the current one. */
  versions: { version: string; recordedBy: string }[]
}

export interface SystemRecord {
  systemId: string
  name: string
  purpose: string
  ownerUnitId: string
  securityOfficerId?: string | undefined
  informationClasses: string[]
  hosting?: Hosting | undefined
  contractorIds: string[]
  internetFacing: boolean
  criticality: Criticality
  reviewDueOn?: string | undefined
  stage: SystemStage
  documents: Readonly<Record<string, DocumentRecord>>
  /** Approved SECURITY_REQUIREMENTS versions, as `documentId@version`. */
  approvals: readonly string[]
  erasureConfirmed: boolean
  planVersions: readonly string[]
}

export interface SystemState {
  system?: SystemRecord | undefined
}

/** The document with that id, own keys only (`constructor` is a valid id, not an inherited member). */
export const documentOf = (documents: SystemRecord['documents'], documentId: string) => (Object.hasOwn(documents, documentId) ? documents[documentId] : undefined)

export const approvalKey = (documentId: string, version: string) => `${documentId}@${version}`

function withDocument(documents: SystemRecord['documents'], d: StoredDocument, by: string): SystemRecord['documents'] {
  const current = documentOf(documents, d.documentId)
  return { ...documents, [d.documentId]: { kind: current?.kind ?? d.kind, versions: [...(current?.versions ?? []), { version: d.version, recordedBy: by }] } }
}

/** Only the fields given (an update's `values` leaves the others out). */
const given = (values: LedgerValues): Partial<SystemRecord> => Object.fromEntries(Object.entries(values).filter(([, v]) => v !== undefined))

function registered(event: Extract<SystemEvent, { type: 'SystemRegistered' }>): SystemRecord {
  const { documents, by, at: _at, ...d } = event.data
  return {
    ...d, documents: documents.reduce((acc, doc) => withDocument(acc, doc, by), {} as SystemRecord['documents']),
    approvals: [], erasureConfirmed: false, planVersions: [],
  }
}

export function evolveSystem(state: SystemState, event: SystemEvent): SystemState {
  if (event.type === 'SystemRegistered') return { system: registered(event) }
  const s = state.system
  if (!s) return state
  const next = (change: Partial<SystemRecord>): SystemState => ({ system: { ...s, ...change } })
  switch (event.type) {
    case 'SystemLedgerUpdated': return next(given(event.data.values))
    case 'SystemDocumentRecorded': return next({ documents: withDocument(s.documents, event.data, event.data.by) })
    case 'SystemStageChanged': return next({ stage: event.data.to })
    case 'SecurityRequirementsApproved': return next({ approvals: [...s.approvals, approvalKey(event.data.documentId, event.data.documentVersion)] })
    case 'SystemDataErasureConfirmed': return next({ erasureConfirmed: true })
    case 'SystemReviewed': return next({ reviewDueOn: event.data.nextReviewDueOn })
    case 'ContinuityPlanRecorded': return next({ planVersions: [...s.planVersions, event.data.version] })
    case 'CryptoPolicySet':
    case 'ContinuityExerciseHeld':
    case 'InternetServiceMeasuresRecorded': return state
  }
}

export const initialSystemState = (): SystemState => ({})

/** The system, which exists and is not retired: a retired system takes no command (only reads). */
export function requireActiveSystem(state: SystemState, systemId: string): SystemRecord {
  const s = state.system
  if (!s) throw new DomainError('SystemNotFound', `no information system ${systemId} in your agency's ledger; register it first (RegisterInformationSystem)`, { systemId })
  if (s.stage === 'RETIRED') throw new DomainError('SystemRetired', `information system ${systemId} is retired; it takes no further commands`, { systemId })
  return s
}
