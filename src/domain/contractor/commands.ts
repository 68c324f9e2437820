// Contractors (Art. 16): who the agency outsources to, and the selection criteria each was checked
// against (codes are data: shared/supplier-criteria.ts). Whether a contractor is qualified is derived
// from its latest selection and the required criteria, never stored.
import { z } from 'zod'
import type { Command } from '../shared/decider.js'
import { SelectionCriterionCode } from '../shared/supplier-criteria.js'
import { localId, text } from '../shared/values.js'

/**
 * The check digit of a Japanese corporate number (法人番号, 13 digits): the first digit equals
 * 9 − (Σ Pn·Qn mod 9) over the other twelve digits, Pn counted from the right, Qn = 1 for odd n, 2 for even.
 */
export function corporateNumberValid(value: string): boolean {
  if (!/^\d{13}$/.test(value)) return false
  let sum = 0
  for (let n = 1; n <= 12; n++) sum += Number(value[13 - n]) * (n % 2 === 1 ? 1 : 2)
  return Number(value[0]) === 9 - (sum % 9)
}

export const CorporateNumber = z.string().regex(/^\d{13}$/, '13 digits (法人番号)')
  .refine(corporateNumberValid, 'the check digit (the first of the 13) does not match; copy the number from the National Tax Agency corporate number site')
  .describe("Japan's corporate number (法人番号): 13 digits, the first is a check digit")

export const RegisterContractorInput = z.object({
  contractorId: localId.describe("the agency's own id for the contractor"),
  name: text(300),
  corporateNumber: CorporateNumber.optional(),
  address: text(500).optional(),
})

export const SelectionCriterionInput = z.object({
  code: SelectionCriterionCode,
  met: z.boolean(),
  evidence: text(2000).optional().describe('what shows it (certificate, document reviewed, answer to the questionnaire)'),
})

export const RecordContractorSelectionInput = z.object({
  criteria: z.array(SelectionCriterionInput).min(1).max(50).describe('each criterion checked; a required one left out counts as not met'),
}).superRefine((input, ctx) => {
  const seen = new Set<string>()
  input.criteria.forEach((c, i) => {
    if (seen.has(c.code)) ctx.addIssue({ code: 'custom', path: ['criteria', i, 'code'], message: `${c.code} is listed twice` })
    seen.add(c.code)
  })
})

export type RegisterContractor = Command<'RegisterContractor', z.output<typeof RegisterContractorInput>>
export type RecordContractorSelection = Command<'RecordContractorSelection', z.output<typeof RecordContractorSelectionInput> & { contractorId: string }>
export type ContractorCommand = RegisterContractor | RecordContractorSelection
