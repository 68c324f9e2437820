// The shapes every aggregate shares: commands and events as discriminated unions, and the Decider triple.
import type { Role } from './roles.js'
import type { Scope } from './scope.js'

/** A role held today with what it covers (a unit's security officer covers that unit only). */
export interface HeldRole {
  readonly role: Role
  readonly scope: Scope
}

export interface Actor {
  readonly id: string
  readonly roles: readonly Role[]
  /** The roles with their scopes, where known; scope checks are skipped without them. */
  readonly assignments?: readonly HeldRole[] | undefined
}

/** Who, when and why: supplied by the adapter, never read from a clock or the network by the domain. */
export interface CommandMetadata {
  readonly actor: Actor
  readonly agencyId: string
  /** ISO-8601 instant the command is decided at (from the injected clock). */
  readonly now: string
  readonly correlationId: string
  readonly causationId?: string | undefined
  /** Which door the command came through: api, graphql, webhook, scheduler, cli. */
  readonly source: string
}

export interface Command<Type extends string = string, Data = unknown> {
  readonly type: Type
  readonly data: Data
  readonly metadata: CommandMetadata
}

/** A fact. Data is plain JSON: ISO strings for times, never Date. */
export interface DomainEvent<Type extends string = string, Data extends JsonObject = JsonObject> {
  readonly type: Type
  readonly data: Data
}

export type Json = string | number | boolean | null | Json[] | { [key: string]: Json | undefined }
export type JsonObject = { [key: string]: Json | undefined }

export interface Decider<C extends Command, E extends DomainEvent, S> {
  /** The stream type this decider owns, e.g. `incident`; stream ids are `<type>-<id>`. */
  readonly streamType: string
  readonly initialState: () => S
  readonly evolve: (state: S, event: E) => S
  /** Throws DomainError for a broken rule; returns the events that record what happened. */
  readonly decide: (command: C, state: S) => E[]
}
