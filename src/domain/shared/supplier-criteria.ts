// Outsourcing (Art. 16; Common Standards 4.1, 4.3): what an agency checks before choosing a contractor,
// the security clauses a contract must contain, and the supply-chain checks of procured devices. Kept
// as data (code, whether required, how sure we are) so that an agency's correction is a data change.
// Confidence as in shared/domain.md: [S] stated in the issue or the seed text, [P] common practice in
// agency rulebooks that copy the Standards, [R] recalled, not yet confirmed against the official text.
import { z } from 'zod'

export type Confidence = 'S' | 'C' | 'P' | 'R'

export interface SupplierRequirement {
  /** Required: a contractor without it is not qualified, a contract without it is refused. */
  required: boolean
  /** The Common Standards item it comes from. */
  clause: string
  confidence: Confidence
  text: string
}

/** Selection criteria (委託先の選定基準): each recorded as met or not, with evidence. */
export const selectionCriteria = {
  INFORMATION_LEAK_COUNTERMEASURES: { required: true, clause: '4.1', confidence: 'S', text: 'the contractor has measures against leaks of the information it handles (情報漏えい対策)' },
  UNINTENDED_CHANGE_CONTROL: {
    required: true, clause: '4.1', confidence: 'S',
    text: 'the contractor controls that no unintended change is made to systems or software by it, its staff or subcontractors (意図せざる変更が加えられないための管理体制)',
  },
  SECURITY_MANAGEMENT_SYSTEM: { required: false, clause: '4.1', confidence: 'P', text: 'an information security management system (e.g. ISO/IEC 27001 certification) or an equivalent organisation' },
  SUBCONTRACTOR_MANAGEMENT: { required: false, clause: '4.1', confidence: 'P', text: 'subcontractors are approved by the agency and held to the same measures' },
  CAPITAL_AND_MANAGEMENT_TRANSPARENCY: {
    required: false, clause: '4.1', confidence: 'R',
    text: 'capital ties, officers and the nationality of those doing the work are disclosed (supply-chain risk: 資本関係・役員等の情報)',
  },
  INCIDENT_REPORTING: { required: false, clause: '4.1', confidence: 'P', text: 'the contractor reports incidents to the agency promptly and can act on them' },
} as const satisfies Record<string, SupplierRequirement>

export type SelectionCriterionCode = keyof typeof selectionCriteria
export const selectionCriterionCodes = Object.keys(selectionCriteria) as [SelectionCriterionCode, ...SelectionCriterionCode[]]
export const SelectionCriterionCode = z.enum(selectionCriterionCodes)

/** Security clauses of a contract (契約に含める事項). */
export const contractClauses = {
  CONFIDENTIALITY: { required: true, clause: '4.1', confidence: 'P', text: 'confidentiality, and no use of the information provided outside the purpose of the contract' },
  INCIDENT_REPORTING: { required: true, clause: '4.1', confidence: 'P', text: 'incidents are reported to the agency, with how they are handled' },
  AUDIT_RIGHTS: { required: true, clause: '4.1', confidence: 'P', text: 'the contractor accepts security audits and inspections by the agency' },
  SUBCONTRACTING_APPROVAL: { required: true, clause: '4.1', confidence: 'P', text: 'subcontracting needs the approval of the agency' },
  RETURN_OR_ERASURE_AT_END: { required: true, clause: '4.1', confidence: 'S', text: 'information is returned or erased at the end of the contract, and this is confirmed' },
  UNINTENDED_CHANGE_CONTROL: { required: true, clause: '4.1', confidence: 'S', text: 'no unintended change is made to systems or software (control of unintended changes)' },
  DATA_LOCATION: { required: false, clause: '4.2', confidence: 'P', text: 'where the information is stored and processed (country, data centre), e.g. for cloud services' },
  SECURITY_MEASURES_REPORTING: { required: false, clause: '4.1', confidence: 'P', text: 'the contractor reports how its security measures are carried out' },
  REMEDY_ON_NONCOMPLIANCE: { required: false, clause: '4.1', confidence: 'R', text: 'what happens when the measures are not carried out (remedy, termination)' },
} as const satisfies Record<string, SupplierRequirement>

export type ContractClauseCode = keyof typeof contractClauses
export const contractClauseCodes = Object.keys(contractClauses) as [ContractClauseCode, ...ContractClauseCode[]]
export const ContractClauseCode = z.enum(contractClauseCodes)

export const requiredSelectionCriteria = selectionCriterionCodes.filter((c) => selectionCriteria[c].required)
export const requiredContractClauses = contractClauseCodes.filter((c) => contractClauses[c].required)

/**
 * Supply-chain checks of a procured device or software (Common Standards 4.3 [P]): each is PASSED,
 * FAILED or NOT_APPLICABLE. A failed check stays an open finding until a later check of the same item
 * (name and model) replaces it.
 */
export const supplyChainCheckKinds = ['knownVulnerabilities', 'insecureTechnology', 'embeddedMalware'] as const
export type SupplyChainCheckKind = (typeof supplyChainCheckKinds)[number]
export const supplyChainCheckResults = ['PASSED', 'FAILED', 'NOT_APPLICABLE'] as const
export const SupplyChainCheckResult = z.enum(supplyChainCheckResults)
