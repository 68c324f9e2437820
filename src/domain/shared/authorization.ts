// Who may issue which command: the one table the README reproduces. A command is allowed when the
// actor holds any listed role; ANY means every authenticated employee of the agency (Art. 9 §2).
import { ForbiddenError } from './errors.js'
import type { Actor } from './decider.js'
import type { Role } from './roles.js'

export const ANY = 'ANY' as const

export const commandRoles = {
  // Art. 9: anyone who notices a possible incident reports it; the CSIRT and the CISO handle it.
  ReportIncident: ANY,
  TriageIncident: ['CSIRT_HEAD', 'CSIRT_MEMBER'],
  ReportIncidentToCiso: ['CSIRT_HEAD'],
  RecordContainment: ['CISO', 'CSIRT_HEAD', 'CSIRT_MEMBER'],
  NotifyNationalCentre: ['CISO', 'CSIRT_HEAD'],
  RecordRecovery: ['CSIRT_HEAD', 'CSIRT_MEMBER', 'SYSTEM_SECURITY_OFFICER'],
  RecordRootCause: ['CSIRT_HEAD', 'CSIRT_MEMBER'],
  ShareLessons: ['CISO', 'CSIRT_HEAD'],
  CloseIncident: ['CISO', 'CSIRT_HEAD'],
  RecordIncidentAction: ['CISO', 'CSIRT_HEAD', 'CSIRT_MEMBER', 'SYSTEM_SECURITY_OFFICER'],
} as const satisfies Record<string, readonly Role[] | typeof ANY>

export type AuthorizedCommand = keyof typeof commandRoles

export function authorize(commandType: AuthorizedCommand, actor: Actor): void {
  const allowed: readonly Role[] | typeof ANY = commandRoles[commandType]
  if (allowed === ANY) return
  if (actor.roles.some((r) => allowed.includes(r))) return
  throw new ForbiddenError(`${commandType} needs one of the roles ${allowed.join(', ')}; you hold ${actor.roles.join(', ') || 'none'}`, {
    command: commandType, requiredRoles: allowed,
  })
}
