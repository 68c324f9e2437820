// The source of `incidentChanged`: finds incidents whose read-model row moved past what subscribers
// of their agency last saw, and publishes each to the agency's topic. Woken when this process's
// runner applies the 'incidents' projection, and polls while anyone listens (another instance may
// run the projection). Reads the `incidents` table; publishes through the function it is given.
import type pg from 'pg'
import type { ProjectionRunner } from '../projections/runner.js'
import { ReadModelFeed } from './read-model-feed.js'
import { incidentHighWater, incidentsChangedSince, toIncidentDto, type IncidentDto } from '../projections/incident-queries.js'

export const incidentTopic = (agencyId: string) => `INCIDENT_CHANGED_${agencyId}`

export interface IncidentFeedOptions {
  pool: pg.Pool
  runner: Pick<ProjectionRunner, 'onApplied'>
  publish(agencyId: string, incident: IncidentDto): void
  log: { error(obj: object, msg?: string): void }
  /** Fallback poll while there are subscribers. */
  pollMs?: number
}

/** The incidents feed: rows of `incidents` whose last_position moved. */
export class IncidentFeed extends ReadModelFeed<IncidentDto> {
  constructor(options: IncidentFeedOptions) {
    super({
      ...options,
      projection: 'incidents',
      highWater: incidentHighWater,
      changesSince: async (pool, seen) => (await incidentsChangedSince(pool, seen)).map((row) => ({ agencyId: row.agency_id, position: row.last_position, item: toIncidentDto(row) })),
    })
  }
}
