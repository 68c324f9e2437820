// given/when/then for any Decider: fold the given events, decide one command, hand back what was decided.
import type { Command, Decider, DomainEvent } from '../../src/domain/shared/decider.js'

export interface Given<C extends Command, E extends DomainEvent, S> {
  /** The state the given events fold to. */
  readonly state: () => S
  /** The events the decider records for `command`; a broken rule throws, so pair it with t.throws. */
  readonly when: (command: C) => E[]
}

/**
 * @example
 * t.same(given(incidentDecider, reported).when(triage), [triaged])
 * t.throws(() => given(incidentDecider).when(triage), { code: 'IncidentNotFound' })
 */
export function given<C extends Command, E extends DomainEvent, S>(decider: Decider<C, E, S>, ...events: E[]): Given<C, E, S> {
  const state = (): S => events.reduce((s, e) => decider.evolve(s, e), decider.initialState())
  return { state, when: (command) => decider.decide(command, state()) }
}
