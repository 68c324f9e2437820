// Contracts with contractors (Art. 16): the subject, the owner unit, the information systems concerned,
// the period, the security clauses (codes are data: shared/supplier-criteria.ts), the supply-chain checks
// of procured devices, and the end: return or erasure of the information confirmed before closing.
import { z } from 'zod'
import type { Command } from '../shared/decider.js'
import { ContractClauseCode, SupplyChainCheckResult } from '../shared/supplier-criteria.js'
import { calendarDate, localId, text } from '../shared/values.js'

/** An information class label such as C3I2A2 (paper: C only), as incidents and information assets write it. */
export const ClassLabel = z.string().regex(/^C[1-3](I[1-2]A[1-2])?$/, 'a class label like C3I2A2 (or C2 for paper)')

export const RecordContractInput = z.object({
  contractId: localId.describe("the agency's own contract number"),
  contractorId: localId.describe('a registered contractor whose latest selection meets every required criterion'),
  subject: text(1000),
  ownerUnitId: localId.describe('the unit responsible for the contract'),
  systemIds: z.array(localId).max(100).default([]).describe('information systems of the ledger the contract concerns'),
  from: calendarDate,
  to: calendarDate.describe('the last day of the contract (on or after from)'),
  securityClauses: z.array(ContractClauseCode).max(50).describe('security clauses the contract contains (every required one)'),
  handlesInformationClass: ClassLabel.optional().describe('the highest class of the information the contractor handles, e.g. C3I2A2'),
})
export const ExtendContractInput = z.object({ to: calendarDate.describe('the new last day (after the current one)'), note: text(2000).optional() })

const CheckOutcome = z.object({ result: SupplyChainCheckResult, note: text(2000).optional() })
  .refine((c) => c.result !== 'FAILED' || c.note !== undefined, { message: 'a FAILED check says what failed (note)', path: ['note'] })
export const RecordSupplyChainCheckInput = z.object({
  item: z.object({ name: text(300).describe('device or software'), model: text(200).optional(), version: text(100).optional() }),
  systemId: localId.optional().describe('the system of the contract the item is procured for (lets its system security officer record the check)'),
  checks: z.object({
    knownVulnerabilities: CheckOutcome.describe('no known, unpatched vulnerabilities'),
    insecureTechnology: CheckOutcome.describe('no insecure technology (obsolete protocols, hard-coded credentials, ...)'),
    embeddedMalware: CheckOutcome.describe('no malware or unauthorised function embedded'),
  }),
  checkedOn: calendarDate,
})
export const EndContractInput = z.object({ endedOn: calendarDate, note: text(2000).optional() })
export const informationReturnMethods = ['RETURNED', 'ERASED'] as const
export const ConfirmInformationReturnOrErasureInput = z.object({
  method: z.enum(informationReturnMethods),
  confirmedOn: calendarDate,
  evidenceRef: text(500).optional().describe('the certificate of erasure, receipt of return, or where it is filed'),
})
export const CloseContractInput = z.object({ note: text(2000).optional() })

/** The contractor as its stream has it now: registered, and the required criteria its latest selection leaves unmet. */
export interface ContractorFacts { exists: boolean; selectionRecorded: boolean; unmet: string[] }

/** Facts the application looked up in other streams. */
export interface ContractReferenceFacts {
  contractor: ContractorFacts
  unitExists: boolean
  /** Systems named that are not in the agency's ledger. */
  unknownSystemIds: string[]
  /** Systems named that are in the ledger but retired (a new contract may not name them). */
  retiredSystemIds: string[]
}

export type RecordContract = Command<'RecordContract', z.output<typeof RecordContractInput> & ContractReferenceFacts>
export type ExtendContract = Command<'ExtendContract', z.output<typeof ExtendContractInput> & { contractId: string; contractor: ContractorFacts }>
export type RecordSupplyChainCheck = Command<'RecordSupplyChainCheck', z.output<typeof RecordSupplyChainCheckInput> & { contractId: string; checkId: string }>
export type EndContract = Command<'EndContract', z.output<typeof EndContractInput> & { contractId: string }>
export type ConfirmInformationReturnOrErasure = Command<'ConfirmInformationReturnOrErasure', z.output<typeof ConfirmInformationReturnOrErasureInput> & { contractId: string }>
export type CloseContract = Command<'CloseContract', z.output<typeof CloseContractInput> & { contractId: string }>

export type ContractCommand = RecordContract | ExtendContract | RecordSupplyChainCheck | EndContract | ConfirmInformationReturnOrErasure | CloseContract
