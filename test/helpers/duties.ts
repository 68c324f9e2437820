// A world for the time-driven duties: an app on a fresh database whose clock the test moves, agencies
// registered at the clock's time, facts recorded as events (the rules read the read models, so the
// deciders that would produce them are not what is tested), and a duty pass that waits for the read models.
import { randomUUID } from 'node:crypto'
import { reconcileDuties, type DutiesOutcome } from '../../src/application/duties.js'
import { registerAgency } from '../../src/application/agencies.js'
import { dutiesStreamId, type DutyEvent, type DutyKind } from '../../src/domain/compliance/duties.js'
import type { DomainEvent } from '../../src/domain/shared/decider.js'
import { startTestApp, type TestApp } from './app.js'

interface Teardown { teardown(fn: () => unknown): void }

export type DutyRecord = { type: DutyEvent['type'] } & DutyEvent['data']

export interface DutyWorld {
  h: TestApp
  /** Moves the clock (an ISO instant with its offset). */
  at(instant: string): void
  now(): Date
  /** Registers national organs at the clock's time. */
  register(...agencyIds: string[]): Promise<void>
  /** Appends facts to a stream as they stand, recorded at the clock's time. */
  record(agencyId: string, streamType: string, streamId: string, ...events: DomainEvent[]): Promise<void>
  /** Waits for the read models, then runs one duty pass at the clock's time. */
  pass(agencyId: string): Promise<DutiesOutcome>
  /** One duty pass at the clock's time, without waiting for the read models. */
  passAtOnce(agencyId: string): Promise<DutiesOutcome>
  /** The agency's duty events, in order; of one kind if given. */
  duties(agencyId: string, kind?: DutyKind): Promise<DutyRecord[]>
}

export async function dutyWorld(t: Teardown, start: string): Promise<DutyWorld> {
  let now = new Date(start)
  const clock = { now: () => now }
  const h = await startTestApp(t, { clock })
  const services = { store: h.store, clock, pool: h.db.app.pool }
  return {
    h,
    at: (instant) => { now = new Date(instant) },
    now: () => now,
    async register(...agencyIds) {
      for (const agencyId of agencyIds) {
        await registerAgency(h.store, clock, { agencyId, name: `Agency ${agencyId}`, kind: 'NATIONAL_ADMINISTRATIVE_ORGAN' }, 'test', { correlationId: randomUUID(), source: 'cli' })
      }
    },
    async record(agencyId, streamType, streamId, ...events) {
      const { version } = await h.store.readStreamTail(agencyId, streamId)
      const outcome = await h.store.append({
        agencyId, streamId, streamType, expectedVersion: version, recordedAt: now.toISOString(),
        events: events.map((e) => ({
          eventId: randomUUID(), type: e.type, schemaVersion: 1, data: e.data,
          metadata: { actor: { id: 'test', roles: [] }, correlationId: randomUUID(), source: 'cli', commandType: 'Test' },
        })),
      })
      if (outcome.outcome !== 'appended') throw new Error(`recording ${streamId} failed: ${outcome.outcome}`)
    },
    async pass(agencyId) {
      await h.settle(agencyId)
      return reconcileDuties(services, agencyId, now)
    },
    passAtOnce: (agencyId) => reconcileDuties(services, agencyId, now),
    async duties(agencyId, kind) {
      const { events } = await h.store.readStream(agencyId, dutiesStreamId)
      return events.map((e) => ({ type: e.type, ...e.data }) as DutyRecord).filter((d) => kind === undefined || d.kind === kind)
    },
  }
}
