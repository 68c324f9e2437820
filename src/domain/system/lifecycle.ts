// The system lifecycle (Art. 18): PLANNING → PROCUREMENT → CONSTRUCTION → ACCEPTANCE → OPERATION →
// (RENEWAL → PROCUREMENT | OPERATION) or (DISPOSAL → RETIRED). Three guards, each refusal naming the
// missing step: approved security requirements before procurement, a complete ledger entry before
// operation, confirmed data erasure before retirement.
import { DomainError } from '../shared/errors.js'
import { tokyoDate } from '../shared/fiscal-year.js'
import type { ApproveSecurityRequirements, ChangeSystemStage, ConfirmSystemDataErasure } from './commands.js'
import type { SystemEvent } from './events.js'
import { approvalKey, requireActiveSystem, type SystemRecord, type SystemState } from './state.js'
import type { SystemStage } from './values.js'

export const nextStages: Readonly<Record<SystemStage, readonly SystemStage[]>> = {
  PLANNING: ['PROCUREMENT'],
  PROCUREMENT: ['CONSTRUCTION'],
  CONSTRUCTION: ['ACCEPTANCE'],
  ACCEPTANCE: ['OPERATION'],
  OPERATION: ['RENEWAL', 'DISPOSAL'],
  RENEWAL: ['PROCUREMENT', 'OPERATION'],
  DISPOSAL: ['RETIRED'],
  RETIRED: [],
}

/** What the ledger entry lacks before the system may operate (Art. 17), as field names. */
export function ledgerGaps(s: Pick<SystemRecord, 'securityOfficerId' | 'informationClasses' | 'hosting' | 'documents'>): string[] {
  const has = (kind: string) => Object.values(s.documents).some((d) => d.kind === kind)
  return [
    ...(s.securityOfficerId === undefined ? ['securityOfficerId'] : []),
    ...(s.informationClasses.length === 0 ? ['informationClasses'] : []),
    ...(s.hosting === undefined ? ['hosting'] : []),
    ...(has('DESIGN') ? [] : ['documents.DESIGN']),
    ...(has('OPERATION_MANUAL') ? [] : ['documents.OPERATION_MANUAL']),
  ]
}

export function requireLedgerComplete(s: SystemRecord, what: string): void {
  const missing = ledgerGaps(s)
  if (missing.length === 0) return
  throw new DomainError('LedgerEntryIncomplete', `the ledger entry of system ${s.systemId} is incomplete, so it cannot ${what}: missing ${missing.join(', ')}; complete it with UpdateInformationSystemLedger and RecordSystemDocument (DESIGN, OPERATION_MANUAL)`, {
    systemId: s.systemId, missing,
  })
}

/** The latest version of each SECURITY_REQUIREMENTS document that is not approved (or that there is none). */
export function requirementsGaps(s: SystemRecord): { missing: boolean; unapproved: { documentId: string; version: string }[] } {
  const docs = Object.entries(s.documents).filter(([, d]) => d.kind === 'SECURITY_REQUIREMENTS')
  const unapproved = docs.flatMap(([documentId, d]) => {
    const latest = d.versions.at(-1)?.version ?? ''
    return s.approvals.includes(approvalKey(documentId, latest)) ? [] : [{ documentId, version: latest }]
  })
  return { missing: docs.length === 0, unapproved }
}

function requireRequirementsApproved(s: SystemRecord): void {
  const gaps = requirementsGaps(s)
  if (gaps.missing) {
    throw new DomainError('SecurityRequirementsNotApproved', `system ${s.systemId} has no security requirements yet: record them (RecordSystemDocument, kind SECURITY_REQUIREMENTS) and have them approved (ApproveSecurityRequirements) before procurement`, {
      systemId: s.systemId, missing: 'SECURITY_REQUIREMENTS',
    })
  }
  if (gaps.unapproved.length > 0) {
    throw new DomainError('SecurityRequirementsNotApproved', `the security requirements of system ${s.systemId} are not approved (${gaps.unapproved.map((u) => `${u.documentId} version ${u.version}`).join(', ')}): approve them with ApproveSecurityRequirements before procurement`, {
      systemId: s.systemId, unapproved: gaps.unapproved,
    })
  }
}

export function changeStage(command: ChangeSystemStage, state: SystemState): SystemEvent[] {
  const { systemId, to, note } = command.data
  const s = requireActiveSystem(state, systemId)
  const allowed = nextStages[s.stage]
  if (!allowed.includes(to)) {
    throw new DomainError('SystemStageTransitionNotAllowed', `system ${systemId} is in ${s.stage}; from there it moves to ${allowed.join(' or ')} only`, { from: s.stage, to, allowed })
  }
  if (to === 'PROCUREMENT') requireRequirementsApproved(s)
  if (to === 'OPERATION') requireLedgerComplete(s, 'go into operation')
  if (to === 'RETIRED' && !s.erasureConfirmed) {
    throw new DomainError('DataErasureNotConfirmed', `the erasure of the data of system ${systemId} is not confirmed: record it with ConfirmSystemDataErasure before retiring the system`, { systemId })
  }
  return [{ type: 'SystemStageChanged', data: { systemId, from: s.stage, to, note, by: command.metadata.actor.id, at: command.metadata.now } }]
}

/** Someone other than the author of the version approves it (separation of duties). */
export function approveSecurityRequirements(command: ApproveSecurityRequirements, state: SystemState): SystemEvent[] {
  const { systemId, documentId, documentVersion, note } = command.data
  const { actor, now } = command.metadata
  const s = requireActiveSystem(state, systemId)
  const candidates = Object.entries(s.documents).filter(([id, d]) =>
    d.kind === 'SECURITY_REQUIREMENTS' && (documentId === undefined || id === documentId) && d.versions.some((v) => v.version === documentVersion))
  const [found, ...others] = candidates
  if (!found) {
    throw new DomainError('DocumentNotFound', `system ${systemId} has no SECURITY_REQUIREMENTS document${documentId ? ` ${documentId}` : ''} in version ${documentVersion}; record it first (RecordSystemDocument)`, { systemId, documentId, documentVersion })
  }
  if (others.length > 0) {
    throw new DomainError('DocumentAmbiguous', `several SECURITY_REQUIREMENTS documents of system ${systemId} have version ${documentVersion}; name the documentId`, { documentIds: candidates.map(([id]) => id) })
  }
  const [id, doc] = found
  const recordedBy = doc.versions.find((v) => v.version === documentVersion)?.recordedBy ?? ''
  if (recordedBy === actor.id) {
    throw new DomainError('SelfApproval', `you recorded version ${documentVersion} of the security requirements of system ${systemId}, so you cannot approve it (separation of duties): another officer must`, { recordedBy })
  }
  if (s.approvals.includes(approvalKey(id, documentVersion))) return []
  return [{ type: 'SecurityRequirementsApproved', data: { systemId, documentId: id, documentVersion, recordedBy, note, by: actor.id, at: now } }]
}

export function confirmErasure(command: ConfirmSystemDataErasure, state: SystemState): SystemEvent[] {
  const { systemId, method, confirmedOn, evidenceRef } = command.data
  const { actor, now } = command.metadata
  const s = requireActiveSystem(state, systemId)
  if (s.stage !== 'DISPOSAL') {
    throw new DomainError('SystemNotInDisposal', `system ${systemId} is in ${s.stage}; data erasure is confirmed during disposal: move it to DISPOSAL first (ChangeSystemStage)`, { stage: s.stage })
  }
  if (confirmedOn > tokyoDate(now)) throw new DomainError('ErasureDateInFuture', `confirmedOn ${confirmedOn} is after today (Japan time); confirm the erasure once it is done`, { confirmedOn })
  return [{ type: 'SystemDataErasureConfirmed', data: { systemId, method, confirmedOn, evidenceRef, by: actor.id, at: now } }]
}
