// Agency kinds (Art. 2) and role codes (Art. 5; Common Standards 2.1.1), see shared/domain.md §1 and §8.
import { z } from 'zod'

export const agencyKinds = ['NATIONAL_ADMINISTRATIVE_ORGAN', 'INCORPORATED_ADMINISTRATIVE_AGENCY', 'DESIGNATED_CORPORATION'] as const
export const AgencyKind = z.enum(agencyKinds)
export type AgencyKind = z.infer<typeof AgencyKind>

export const roleCodes = [
  'CISO', 'DEPUTY_CISO', 'CHIEF_SECURITY_ADVISOR', 'COMMITTEE_CHAIR', 'COMMITTEE_MEMBER', 'AUDIT_OFFICER', 'AUDITOR',
  'GENERAL_SECURITY_OFFICER', 'SECURITY_OFFICER', 'AREA_SECURITY_OFFICER', 'DIVISION_SECURITY_OFFICER',
  'SYSTEM_SECURITY_OFFICER', 'CSIRT_HEAD', 'CSIRT_MEMBER', 'EXCEPTION_APPROVER', 'EMPLOYEE',
] as const
export const Role = z.enum(roleCodes)
export type Role = z.infer<typeof Role>
