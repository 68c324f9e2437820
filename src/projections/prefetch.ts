// Read-ahead for projection batches: while one batch is applied, the events of the next are read on
// another connection. Safe because every position at or below a head seen in a committed snapshot is
// committed and immutable: reading it outside the batch's transaction gives the same rows. The batch
// still chooses its windows and moves its checkpoints (compare-and-set) inside its own transaction;
// read-ahead only saves the read (measured: 34-42k -> 54k events/s on 2 cores).
import type pg from 'pg'
import { CONTENT_COLUMNS, toEventContent } from '../eventstore/postgres-store.js'
import type { Window } from './batch.js'
import type { ProjectedEvent, Projection } from './types.js'

const COLUMNS = CONTENT_COLUMNS.split(',').map((c) => `e.${c.trim()}`).join(', ')

/** The events of `projection`'s types in the given windows, ordered by agency and position. */
export async function readWindows(client: pg.Pool | pg.ClientBase, projection: Projection, windows: readonly Window[]): Promise<ProjectedEvent[]> {
  if (windows.length === 0) return []
  const { rows } = await client.query(
    `SELECT ${COLUMNS}
     FROM unnest($1::text[], $2::bigint[], $3::bigint[]) AS w(agency_id, from_pos, to_pos)
     -- LATERAL + LIMIT keeps one primary-key range scan per window: with a plain join over many windows the
     -- planner cannot estimate the ranges and may scan the whole log (measured: 50-100 ms a batch vs 2-18 ms).
     CROSS JOIN LATERAL (
       SELECT * FROM events e
       WHERE e.agency_id = w.agency_id AND e.agency_position > w.from_pos AND e.agency_position <= w.to_pos
       ORDER BY e.agency_position LIMIT w.to_pos - w.from_pos) e
     WHERE e.event_type = ANY($4::text[])
     ORDER BY e.agency_id, e.agency_position`,
    [windows.map((w) => w.agency), windows.map((w) => w.from), windows.map((w) => w.to), projection.eventTypes],
  )
  return rows.map(toEventContent)
}

/** Events read ahead for the windows a next batch is expected to take. */
export interface Prefetch {
  windows: ReadonlyMap<string, { from: number; to: number }>
  /** Undefined if the read failed: the batch then reads for itself. */
  events: Promise<ProjectedEvent[] | undefined>
}

export function startPrefetch(pool: pg.Pool, projection: Projection, windows: readonly Window[]): Prefetch | undefined {
  if (windows.length === 0) return undefined
  return {
    windows: new Map(windows.map((w) => [w.agency, { from: w.from, to: w.to }])),
    events: readWindows(pool, projection, windows).catch(() => undefined),
  }
}

/**
 * The events of this batch's windows: from the read-ahead where it covers a window's start (the window is
 * then shortened to what was read ahead), read inside the batch's transaction for the rest.
 */
export async function eventsFor(client: pg.ClientBase, projection: Projection, windows: Window[], prefetch: Prefetch | undefined): Promise<ProjectedEvent[]> {
  const ahead = prefetch ? await prefetch.events : undefined
  if (!prefetch || !ahead) return readWindows(client, projection, windows)
  const byAgency = new Map<string, ProjectedEvent[]>()
  for (const e of ahead) {
    const list = byAgency.get(e.agencyId)
    if (list) list.push(e)
    else byAgency.set(e.agencyId, [e])
  }
  const missing: Window[] = []
  const events: ProjectedEvent[] = []
  for (const w of windows) {
    const read = prefetch.windows.get(w.agency)
    if (!read || read.from !== w.from) {
      missing.push(w)
      continue
    }
    w.to = Math.min(w.to, read.to)
    for (const e of byAgency.get(w.agency) ?? []) if (e.position <= w.to) events.push(e)
  }
  events.push(...(await readWindows(client, projection, missing)))
  return events.sort((a, b) => (a.agencyId < b.agencyId ? -1 : a.agencyId > b.agencyId ? 1 : a.position - b.position))
}
