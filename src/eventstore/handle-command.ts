// Command handling: read the stream, fold, decide, append with the version read; retry on conflict.
import { createHash, randomUUID } from 'node:crypto'
import type { Command, Decider, DomainEvent } from '../domain/shared/decider.js'
import { canonicalJson } from './hash.js'
import { ConcurrencyError, IdempotencyKeyReusedError } from './errors.js'
import type { EventStore, StoredEvent } from './types.js'

export interface CommandResult {
  agencyId: string
  streamId: string
  streamVersion: number
  /** The agency position of the last event written (or of the stream's last event for a no-op). */
  position: number
  /** How many events this call appended (0 for a replay or a no-op). */
  appended: number
  /** True when an Idempotency-Key matched an earlier identical request: nothing was appended. */
  replayed: boolean
}

export interface HandleOptions {
  idempotencyKey?: string | undefined
  /** What makes two requests "the same" for the idempotency check; defaults to type, stream and data. */
  fingerprint?: unknown
  /** Attempts on a version conflict before giving up with ConcurrencyError. */
  maxAttempts?: number
  /** Test seam. */
  newEventId?: () => string
  /**
   * Look the Idempotency-Key up before deciding (default true). A caller whose retries are rare and whose
   * decider answers a repeat with no event or the same event (reactions) may skip it and save a round trip:
   * the append still recognises the key and answers the first result.
   */
  checkKeyFirst?: boolean
  /**
   * 'last': decide on the state after the stream's last event only (one index lookup, however long the
   * stream). Only for deciders whose every event carries the whole state the command needs, e.g. a
   * correlation group whose events each say which incident is current and when its window ends.
   */
  fold?: 'all' | 'last'
}

export function requestHash(fingerprint: unknown): string {
  return createHash('sha256').update(canonicalJson(fingerprint ?? null)).digest('hex')
}

export async function handleCommand<C extends Command, E extends DomainEvent, S>(
  store: EventStore,
  decider: Decider<C, E, S>,
  streamId: string,
  command: C,
  options: HandleOptions = {},
): Promise<CommandResult> {
  const { agencyId } = command.metadata
  const key = options.idempotencyKey
  const hash = requestHash(options.fingerprint ?? { type: command.type, streamId, data: command.data })

  // 1. A retry of an earlier request answers with the first result and decides nothing again.
  const replay = async (): Promise<CommandResult | undefined> => {
    if (key === undefined) return undefined
    const earlier = await store.findIdempotencyKey(agencyId, key)
    if (!earlier) return undefined
    if (earlier.requestHash !== hash) throw new IdempotencyKeyReusedError(key)
    return { agencyId, ...earlier.result, position: earlier.result.lastPosition, appended: 0, replayed: true }
  }
  const earlier = options.checkKeyFirst === false ? undefined : await replay()
  if (earlier) return earlier

  const attempts = options.maxAttempts ?? 4
  const newEventId = options.newEventId ?? randomUUID
  let lastConflict: ConcurrencyError | undefined
  for (let attempt = 0; attempt < attempts; attempt++) {
    // 2. Fold the stream and decide (pure; throws DomainError on a broken rule).
    const stream = options.fold === 'last' ? await store.readStreamTail(agencyId, streamId) : await store.readStream(agencyId, streamId)
    const state = stream.events.reduce((s, e) => decider.evolve(s, toDomainEvent<E>(e)), decider.initialState())
    let events: E[]
    try {
      events = decider.decide(command, state)
    } catch (err) {
      // A retry racing its original can read the state the original produced; its key says so.
      // (A key reused for another request still answers 422; a failing lookup keeps the domain error.)
      const replayed = await replay().catch((e: unknown) => {
        if (e instanceof IdempotencyKeyReusedError) throw e
        return undefined
      })
      if (replayed) return replayed
      throw err
    }
    if (events.length === 0) {
      return { agencyId, streamId, streamVersion: stream.version, position: stream.events.at(-1)?.position ?? 0, appended: 0, replayed: false }
    }

    // 3. Append against the version read.
    const outcome = await store.append({
      agencyId,
      streamId,
      streamType: decider.streamType,
      expectedVersion: stream.version,
      recordedAt: command.metadata.now,
      idempotency: key === undefined ? undefined : { key, requestHash: hash },
      events: events.map((e) => ({
        eventId: newEventId(),
        type: e.type,
        schemaVersion: 1,
        data: e.data,
        metadata: {
          actor: { id: command.metadata.actor.id, roles: [...command.metadata.actor.roles] },
          correlationId: command.metadata.correlationId,
          causationId: command.metadata.causationId,
          idempotencyKey: key,
          source: command.metadata.source,
          commandType: command.type,
        },
      })),
    })
    switch (outcome.outcome) {
      case 'appended':
        return { agencyId, ...outcome.result, position: outcome.result.lastPosition, appended: events.length, replayed: false }
      case 'duplicate':
        if (key === undefined) throw new Error('store reported a duplicate without an idempotency key')
        return { agencyId, ...outcome.result, position: outcome.result.lastPosition, appended: 0, replayed: true }
      case 'key_reused':
        throw new IdempotencyKeyReusedError(key ?? '')
      case 'conflict': {
        // The conflicting append may be this request's own original, committed meanwhile.
        const replayed = await replay()
        if (replayed) return replayed
        lastConflict = new ConcurrencyError(streamId, stream.version, outcome.actualVersion)
        continue
      }
    }
  }
  throw lastConflict ?? new Error('unreachable')
}

export function toDomainEvent<E extends DomainEvent>(stored: StoredEvent): E {
  return { type: stored.type, data: stored.data } as E
}
