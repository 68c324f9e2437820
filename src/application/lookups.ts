// Facts from other streams that a decider needs (a unit exists, an employee's unit): read from the
// log, not from a read model, so they are never stale. Each read is one stream of one agency.
import { agencyDecider, agencyStreamId, type AgencyEvent, type AgencyState } from '../domain/agency/index.js'
import { employeeDecider, employeeStreamId, type EmployeeEvent, type EmployeeState } from '../domain/employee/index.js'
import type { EmployeeFacts } from '../domain/management/commands.js'
import { toDomainEvent } from '../eventstore/handle-command.js'
import type { EventStore } from '../eventstore/types.js'
import type { Decider, DomainEvent } from '../domain/shared/decider.js'

export async function loadAgency(store: EventStore, agencyId: string): Promise<AgencyState> {
  const stream = await store.readStream(agencyId, agencyStreamId(agencyId))
  return stream.events.map((e) => toDomainEvent<AgencyEvent>(e)).reduce(agencyDecider.evolve, agencyDecider.initialState())
}

export async function loadEmployee(store: EventStore, agencyId: string, employeeId: string): Promise<EmployeeState> {
  const stream = await store.readStream(agencyId, employeeStreamId(employeeId))
  return stream.events.map((e) => toDomainEvent<EmployeeEvent>(e)).reduce(employeeDecider.evolve, employeeDecider.initialState())
}

/** The named employees of this agency (absent when not registered here), for role and audit rules. */
export async function loadEmployeeFacts(store: EventStore, agencyId: string, employeeIds: readonly string[]): Promise<EmployeeFacts> {
  const unique = [...new Set(employeeIds)]
  // One read for all of them (a training completion may name a thousand employees).
  const streams = await store.readStreams(agencyId, unique.map(employeeStreamId))
  return Object.fromEntries(unique.map((id) => {
    const events = streams.get(employeeStreamId(id))?.events ?? []
    const s = events.map((e) => toDomainEvent<EmployeeEvent>(e)).reduce(employeeDecider.evolve, employeeDecider.initialState())
    return [id, s.registered && s.unitId !== undefined ? { unitId: s.unitId, departedOn: s.departedOn, since: s.since } : undefined]
  }))
}

/** The state of any stream, folded from the log (for facts a command's authorization needs, e.g. a finding's unit). */
export async function foldStream<E extends DomainEvent, S>(store: EventStore, agencyId: string, streamId: string, decider: Pick<Decider<never, E, S>, 'initialState' | 'evolve'>): Promise<S> {
  const stream = await store.readStream(agencyId, streamId)
  return stream.events.map((e) => toDomainEvent<E>(e)).reduce(decider.evolve, decider.initialState())
}
