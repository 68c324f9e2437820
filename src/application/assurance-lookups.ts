// Who holds which role, with its scope, on a given day: folded from the agency's management stream
// (the log, never a lagging read model). The self-check and audit rules need the scope, which the
// principal's role list does not carry: "the security officer of THIS unit", "holds AUDITOR then".
import { managementStreamId, type ManagementEvent } from '../domain/management/index.js'
import type { Role } from '../domain/shared/roles.js'
import type { Scope } from '../domain/shared/scope.js'
import { toDomainEvent } from '../eventstore/handle-command.js'
import type { EventStore } from '../eventstore/types.js'
import { loadEmployeeFacts } from './lookups.js'

export interface Holding { employeeId: string; role: Role; scope: Scope; via: 'ASSIGNMENT' | 'DELEGATION' }

interface Term { employeeId: string; role: Role; scope: Scope; from: string; to?: string | undefined }
interface Delegation { delegatorId: string; delegateId: string; role?: Role | undefined; from: string; to: string }

const covers = (t: { from: string; to?: string | undefined }, date: string) => t.from <= date && (t.to === undefined || date <= t.to)

/** Pure: every role held on `date`, directly or through a delegation of a role its delegator holds that day. */
export function holdingsOn(events: readonly ManagementEvent[], date: string): Holding[] {
  const terms = new Map<string, Term>()
  const delegations = new Map<string, Delegation>()
  for (const event of events) {
    switch (event.type) {
      case 'RoleAssigned': terms.set(event.data.assignmentId, event.data); break
      case 'RoleAssignmentEnded': {
        const term = terms.get(event.data.assignmentId)
        if (term) terms.set(event.data.assignmentId, { ...term, to: event.data.on })
        break
      }
      case 'ResponsibilityDelegated': delegations.set(event.data.delegationId, event.data); break
      case 'DelegationEnded': {
        const d = delegations.get(event.data.delegationId)
        if (d) delegations.set(event.data.delegationId, { ...d, to: event.data.on })
        break
      }
      case 'CommitteeOrganized': break
    }
  }
  const direct = [...terms.values()].filter((t) => covers(t, date))
  const delegated = [...delegations.values()].filter((d) => d.role !== undefined && covers(d, date)).flatMap((d) =>
    direct.filter((t) => t.employeeId === d.delegatorId && t.role === d.role).map((t) => ({ ...t, employeeId: d.delegateId })))
  return [
    ...direct.map(({ employeeId, role, scope }) => ({ employeeId, role, scope, via: 'ASSIGNMENT' as const })),
    ...delegated.map(({ employeeId, role, scope }) => ({ employeeId, role, scope, via: 'DELEGATION' as const })),
  ]
}

/** Holdings on `date` of people employed that day (a departed holder whose term nobody ended holds nothing). */
export async function loadHoldings(store: EventStore, agencyId: string, date: string): Promise<Holding[]> {
  const stream = await store.readStream(agencyId, managementStreamId(agencyId))
  const holdings = holdingsOn(stream.events.map((e) => toDomainEvent<ManagementEvent>(e)), date)
  const employees = await loadEmployeeFacts(store, agencyId, holdings.map((h) => h.employeeId))
  return holdings.filter((h) => {
    const e = employees[h.employeeId]
    return e !== undefined && (e.departedOn === undefined || e.departedOn >= date)
  })
}

/** The units `employeeId` is SECURITY_OFFICER of. */
export const officerUnitsOf = (holdings: readonly Holding[], employeeId: string): string[] =>
  holdings.flatMap((h) => (h.employeeId === employeeId && h.role === 'SECURITY_OFFICER' && h.scope.kind === 'UNIT' ? [h.scope.unitId] : []))

/** Everyone holding `role`, whatever the scope; those holding it by their own assignment first. */
export const holdersOf = (holdings: readonly Holding[], role: Role): string[] =>
  [...new Set(holdings.filter((h) => h.role === role).sort((a, b) => (a.via === b.via ? 0 : a.via === 'ASSIGNMENT' ? -1 : 1)).map((h) => h.employeeId))]
