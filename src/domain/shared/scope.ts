// What a role assignment covers (Art. 5; domain.md §8): the whole agency, or one unit, area, system, or
// set of exception clauses. Which scope each role takes is data, checked when a role is assigned.
import { z } from 'zod'
import type { Role } from './roles.js'
import { localId, text } from './values.js'

export const Scope = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('AGENCY') }),
  z.object({ kind: z.literal('UNIT'), unitId: localId }),
  z.object({ kind: z.literal('AREA'), areaId: localId }),
  z.object({ kind: z.literal('SYSTEM'), systemId: localId }),
  z.object({ kind: z.literal('CLAUSES'), clauses: z.array(text(100)).min(1).max(100).describe('Common Standards items, e.g. "3.1.1(6)"') }),
])
export type Scope = z.infer<typeof Scope>
export type ScopeKind = Scope['kind']

/** The scope kinds each role may be assigned with (officers of a unit, an area or a system hold that scope). */
export const roleScopes: Record<Role, readonly ScopeKind[]> = {
  CISO: ['AGENCY'],
  DEPUTY_CISO: ['AGENCY'],
  CHIEF_SECURITY_ADVISOR: ['AGENCY'],
  COMMITTEE_CHAIR: ['AGENCY'],
  COMMITTEE_MEMBER: ['AGENCY'],
  AUDIT_OFFICER: ['AGENCY'],
  AUDITOR: ['AGENCY', 'UNIT'],
  GENERAL_SECURITY_OFFICER: ['AGENCY'],
  SECURITY_OFFICER: ['UNIT'],
  AREA_SECURITY_OFFICER: ['AREA'],
  DIVISION_SECURITY_OFFICER: ['UNIT'],
  SYSTEM_SECURITY_OFFICER: ['SYSTEM'],
  CSIRT_HEAD: ['AGENCY'],
  CSIRT_MEMBER: ['AGENCY'],
  EXCEPTION_APPROVER: ['AGENCY', 'CLAUSES'],
  EMPLOYEE: ['AGENCY'],
}

/** Roles that one person holds at a time in an agency (Art. 5 §1: one CISO; one chair of the committee). */
export const exclusiveRoles: readonly Role[] = ['CISO', 'COMMITTEE_CHAIR']

/**
 * Roles one person must not hold together (Common Standards 2.1.1(8); the pairs are recalled practice
 * [R], kept as data): who audits is independent of the officers who run the measures audited. (A CISO
 * who is also audit officer cannot approve their own audit plans: the audit decider's SelfApproval.)
 */
export const incompatibleRoles: readonly (readonly [Role, Role])[] = [
  ['AUDIT_OFFICER', 'GENERAL_SECURITY_OFFICER'],
  ['AUDIT_OFFICER', 'SECURITY_OFFICER'],
  ['AUDITOR', 'GENERAL_SECURITY_OFFICER'],
]

export const incompatible = (a: Role, b: Role) => incompatibleRoles.some(([x, y]) => (x === a && y === b) || (x === b && y === a))

export function scopeLabel(scope: Scope): string {
  switch (scope.kind) {
    case 'AGENCY': return 'the agency'
    case 'UNIT': return `unit ${scope.unitId}`
    case 'AREA': return `area ${scope.areaId}`
    case 'SYSTEM': return `system ${scope.systemId}`
    case 'CLAUSES': return `clauses ${scope.clauses.join(', ')}`
  }
}
