// What a projection is: a name, the event types it reads, the tables it owns, and a set-based handler.
import type pg from 'pg'
import type { EventContent } from '../eventstore/types.js'

/** Logical table name -> physical name. Normally the identity; a rebuild points it at shadow tables. */
export type TableNames<T extends string = string> = Readonly<Record<T, string>>

/** What a projection is given: the event without its hash-chain fields (they serve verification, not read models). */
export type ProjectedEvent = EventContent

export interface Projection<T extends string = string> {
  readonly name: string
  readonly eventTypes: readonly string[]
  readonly tables: readonly T[]
  /**
   * Apply a batch (ordered by agency, then position) inside the runner's transaction. Use multi-row
   * statements; never reject an event: an event is a fact.
   */
  apply(client: pg.ClientBase, events: readonly ProjectedEvent[], tables: TableNames<T>): Promise<void>
}

export interface MinimalLogger {
  info(obj: object, msg?: string): void
  warn(obj: object, msg?: string): void
  error(obj: object, msg?: string): void
  debug(obj: object, msg?: string): void
}

export function identityTables<T extends string>(tables: readonly T[]): TableNames<T> {
  return Object.fromEntries(tables.map((t) => [t, t])) as unknown as TableNames<T>
}

/** Quote a table name from a TableNames map for interpolation into SQL. */
export function ident(name: string): string {
  return `"${name.replaceAll('"', '""')}"`
}
