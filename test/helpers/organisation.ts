// Setting up an agency's organisation as the operator's CLI would (no role checks): units, employees,
// role assignments, and tokens for actors holding those roles. Roles come from assignments, so a test
// token is an employee with assigned roles.
import { randomUUID } from 'node:crypto'
import type pg from 'pg'
import { commandCatalogue } from '../../src/application/catalogue.js'
import type { CommandOutcome } from '../../src/application/command-runner.js'
import type { Clock, Principal } from '../../src/application/context.js'
import { issueToken } from '../../src/application/tokens.js'
import { DomainError } from '../../src/domain/shared/errors.js'
import type { Role } from '../../src/domain/shared/roles.js'
import { roleScopes } from '../../src/domain/shared/scope.js'
import type { EventStore } from '../../src/eventstore/types.js'

export interface OrganisationHelpers {
  /** Creates a unit (UnitAlreadyExists is ignored). */
  unit(agencyId: string, unitId: string, parentUnitId?: string): Promise<void>
  /** Registers an employee in a unit (created if missing), joined on `joinedOn` (default 2020-04-01). */
  employee(agencyId: string, employeeId: string, unitId?: string, joinedOn?: string): Promise<void>
  /**
   * A bearer token for `actorId`, who is registered as an employee (unit `general`) if needed and
   * ASSIGNED each role (agency-wide; unit roles for `general`) from 2020-04-01; the projections are awaited.
   */
  token(agencyId: string, roles: Role[], actorId?: string): Promise<string>
  /** Runs a catalogue command (by its mutation name) as the operator (no role checks). */
  admin(agencyId: string, mutation: string, input: unknown, params?: Record<string, string>): Promise<CommandOutcome>
  /** Waits until the projections have applied the agency's log up to `position` (default: all of it so far). */
  settle(agencyId: string, position?: number): Promise<void>
}

export interface HelperDeps {
  store: EventStore
  clock: Clock
  pool: pg.Pool
  /** The runner's waitFor and the projections to wait for. */
  waitFor(projection: string, agencyId: string, position: number, timeoutMs: number): Promise<boolean>
  projections: readonly { name: string }[]
}

export function organisationHelpers(deps: HelperDeps): OrganisationHelpers {
  const services = { store: deps.store, clock: deps.clock, pool: deps.pool }
  const admin = async (agencyId: string, mutation: string, input: unknown, params: Record<string, string> = {}) => {
    const spec = commandCatalogue.find((c) => c.mutation === mutation)
    if (!spec) throw new Error(`no command with mutation ${mutation}`)
    const principal: Principal = { agencyId, actorId: 'test-admin', roles: [], tokenId: 'test', system: true }
    return spec.run(services, principal, spec.params.parse(params), spec.input.parse(input), { correlationId: randomUUID(), source: 'cli' })
  }
  const tolerate = async (codes: string[], fn: () => Promise<unknown>) => {
    try {
      await fn()
    } catch (err) {
      if (!(err instanceof DomainError) || !codes.includes(err.code)) throw err
    }
  }
  const unit = (agencyId: string, unitId: string, parentUnitId?: string) =>
    tolerate(['UnitAlreadyExists'], () => admin(agencyId, 'createUnit', { unitId, name: `Unit ${unitId}`, parentUnitId }))
  const employee = async (agencyId: string, employeeId: string, unitId = 'general', joinedOn = '2020-04-01') => {
    await unit(agencyId, unitId)
    await tolerate(['EmployeeAlreadyExists'], () => admin(agencyId, 'registerEmployee', { employeeId, name: `Employee ${employeeId}`, unitId, joinedOn }))
  }
  const settle = async (agencyId: string, upTo?: number) => {
    const position = upTo ?? (await deps.store.readAgency(agencyId, 0, 1_000_000)).at(-1)?.position ?? 0
    for (const p of deps.projections) {
      if (!(await deps.waitFor(p.name, agencyId, position, 10_000))) throw new Error(`projection ${p.name} did not reach ${agencyId}@${position}`)
    }
  }
  const token = async (agencyId: string, roles: Role[], actorId = `actor-${randomUUID().slice(0, 8)}`) => {
    await employee(agencyId, actorId)
    for (const role of roles) {
      const kind = roleScopes[role][0]
      if (kind === 'AREA') await tolerate(['AreaAlreadyExists'], () => admin(agencyId, 'defineArea', { areaId: 'general-area', name: 'General area' }))
      const scope = kind === 'UNIT' ? { kind, unitId: 'general' } : kind === 'AREA' ? { kind, areaId: 'general-area' } : kind === 'SYSTEM' ? { kind, systemId: 'general-system' } : { kind: 'AGENCY' }
      await tolerate(['DuplicateAssignment'], () => admin(agencyId, 'assignRole', { employeeId: actorId, role, scope, from: '2020-04-01' }))
    }
    await settle(agencyId)
    return (await issueToken(deps.pool, { agencyId, actorId })).token
  }
  return { unit, employee, token, admin, settle }
}
