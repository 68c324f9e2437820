// The database verifier: per agency (in id order), one snapshot, one pass over the log in batches of positions:
// dense positions, each prev_hash, each recomputed content and chain hash, then the head row, and the
// digests met on the way (signature, chain to the previous digest, range, Merkle root over the stored
// hashes). Digests saved from the service (--digests) are the anchor outside the database: each must be there,
// unchanged. Reports the first broken link in position order. Reads only (SELECT on the runtime role).
import type pg from 'pg'
import { contentHash, chainHash, GENESIS_HASH } from '../eventstore/hash.js'
import { EVENT_COLUMNS, toEventContent } from '../eventstore/postgres-store.js'
import type { EventMetadata } from '../eventstore/types.js'
import type { JsonObject } from '../domain/shared/decider.js'
import { DIGEST_COLUMNS, digestBodyBytes, digestHashOf, overdueMessage, overduePasses, recentPasses, toDigest, type Digest, type DigestRow } from './digests.js'
import { keysById, listKeys } from './keys.js'
import { MerkleBuilder } from './merkle.js'
import { verifySignature, type PublicKeyEntry } from './signing.js'
import type { BrokenLink, VerifyReport } from './verify-report.js'

export interface VerifyProgress {
  agencyId: string
  /** Events of this agency checked so far, of `total` (its head position). */
  events: number
  total: number
}

export interface VerifyDatabaseOptions {
  /** Only these agencies (each must exist: VerifyInputError otherwise); default every agency with a head, an event, a digest or a row in `agencies`. */
  agencyIds?: string[] | undefined
  /** Trusted public keys; default the signing_keys table (which a superuser could also have changed). */
  keys?: PublicKeyEntry[] | undefined
  /**
   * Digests saved from GET /api/audit-trail/digests and kept away from the database (readDigestsFile): each
   * must verify with the keys and be in the database unchanged. Without them, a removed last digest whose
   * events were rewritten and sealed again does not show.
   */
  savedDigests?: Digest[] | undefined
  /** AUDIT_DIGEST_INTERVAL_MS, for the overdue rule (digests.ts); default one hour. */
  digestIntervalMs?: number | undefined
  /** Now, for the overdue rule; default the clock. */
  now?: Date | undefined
  onProgress?: ((p: VerifyProgress) => void) | undefined
  /** Events per query; default 2,000 (measured on 1,000,000 events: as fast as 10,000, peak RSS 214 MB instead of 345 MB). */
  batchSize?: number | undefined
}

/** The verification cannot run as asked (an agency that does not exist, saved digests of another agency). */
export class VerifyInputError extends Error {
  override name = 'VerifyInputError'
}

export interface Counts {
  events: number
  agencies: number
  digests: number
  signatures: number
}

type EventRow = {
  agency_id: string; agency_position: number; stream_id: string; stream_type: string; stream_version: number; event_id: string
  event_type: string; schema_version: number; data: JsonObject; metadata: EventMetadata; recorded_at: Date; prev_hash: Buffer; hash: Buffer
}

/** What every agency's walk shares. */
interface Context {
  keys: Map<string, string>
  checked: Counts
  notes: string[]
  opts: VerifyDatabaseOptions
  registered: Set<string>
  saved: Map<string, Digest[]>
  passes: Date[]
}

export async function verifyDatabase(pool: pg.Pool, opts: VerifyDatabaseOptions = {}): Promise<VerifyReport> {
  const keys = keysById(opts.keys ?? (await listKeys(pool)))
  const saved = new Map<string, Digest[]>()
  for (const d of opts.savedDigests ?? []) {
    const list = saved.get(d.agencyId) ?? []
    const same = list.find((x) => x.seq === d.seq)
    if (same && same.digestHash !== d.digestHash) throw new VerifyInputError(`the saved digests hold two different digests ${d.seq} of agency ${d.agencyId} (digest hashes ${same.digestHash} and ${d.digestHash})`)
    if (!same) saved.set(d.agencyId, [...list, d])
  }
  const savedCount = [...saved.values()].reduce((n, list) => n + list.length, 0)
  const registered = await registeredAgencies(pool)
  let agencies: string[]
  if (opts.agencyIds) {
    agencies = [...new Set(opts.agencyIds)].sort()
    const outside = [...saved.keys()].filter((a) => !agencies.includes(a))
    if (outside.length > 0) throw new VerifyInputError(`the saved digests are of agency ${outside.join(', ')}, which is not among the agencies asked for (${agencies.join(', ')}): give --agency ${outside[0]}, or no --agency`)
    const unknown = (await absentAgencies(pool, agencies)).filter((a) => !registered.has(a) && !saved.has(a))
    if (unknown.length > 0) throw new VerifyInputError(`no agency ${unknown.join(', ')} in this database (no events, head, digests or registration): check the id, or leave out --agency to check every agency`)
  } else {
    agencies = [...new Set([...(await allAgencies(pool)), ...registered, ...saved.keys()])].sort()
  }
  const checked: Counts = { events: 0, agencies: 0, digests: 0, signatures: 0 }
  const notes: string[] = []
  if (!opts.keys) notes.push('signatures checked against the keys recorded in the database (signing_keys); give the keys published by the service, kept elsewhere (--keys), to rule out a replaced key')
  if (opts.savedDigests) notes.push(`${savedCount} saved ${savedCount === 1 ? 'digest' : 'digests'} compared with the database`)
  else notes.push('no saved digests given (--digests): a removed last digest whose events were rewritten and sealed again would not show')
  const ctx: Context = { keys, checked, notes, opts, registered, saved, passes: await recentPasses(pool, opts.now ?? new Date()) }
  let firstBroken: BrokenLink | undefined
  for (const agencyId of agencies) {
    const broken = await verifyAgency(pool, agencyId, ctx)
    checked.agencies++
    if (broken && firstBroken) notes.push(`also broken: agency ${agencyId}, ${broken.kind}${broken.position === undefined ? '' : ` at position ${broken.position}`}`)
    firstBroken ??= broken
  }
  return { intact: firstBroken === undefined, subject: 'database', checked, firstBroken, notes }
}

/** Every agency that has a head row, events or digests (a loose index scan of the events key, not a full scan). */
async function allAgencies(pool: pg.Pool): Promise<string[]> {
  const { rows } = await pool.query<{ agency_id: string }>(`
    WITH RECURSIVE a(agency_id) AS (
      (SELECT agency_id FROM events ORDER BY agency_id LIMIT 1)
      UNION ALL
      SELECT (SELECT e.agency_id FROM events e WHERE e.agency_id > a.agency_id ORDER BY e.agency_id LIMIT 1) FROM a WHERE a.agency_id IS NOT NULL
    )
    SELECT agency_id FROM a WHERE agency_id IS NOT NULL
    UNION SELECT agency_id FROM agency_heads
    UNION SELECT agency_id FROM audit_digests`)
  return rows.map((r) => r.agency_id).sort()
}

/**
 * The agencies the `agencies` read model holds (a row per agency, written from its AgencyRegistered event, so
 * after that event): one of them without a single event has lost its whole log. Empty where the table is absent.
 */
async function registeredAgencies(pool: pg.Pool): Promise<Set<string>> {
  const present = (await pool.query<{ present: boolean }>(`SELECT to_regclass('agencies') IS NOT NULL AS present`)).rows[0]?.present
  if (!present) return new Set()
  return new Set((await pool.query<{ agency_id: string }>('SELECT agency_id FROM agencies')).rows.map((r) => r.agency_id))
}

/** Of these ids, those with no head, no event and no digest (three key lookups each). */
async function absentAgencies(pool: pg.Pool, ids: string[]): Promise<string[]> {
  const { rows } = await pool.query<{ id: string }>(`
    SELECT id FROM unnest($1::text[]) AS id
    WHERE NOT EXISTS (SELECT 1 FROM agency_heads h WHERE h.agency_id = id)
      AND NOT EXISTS (SELECT 1 FROM events e WHERE e.agency_id = id)
      AND NOT EXISTS (SELECT 1 FROM audit_digests d WHERE d.agency_id = id)`, [ids])
  return rows.map((r) => r.id)
}

/** One agency in one REPEATABLE READ snapshot, so appends during the walk cannot look like a broken head. */
async function verifyAgency(pool: pg.Pool, agencyId: string, ctx: Context): Promise<BrokenLink | undefined> {
  const { opts, notes } = ctx
  const client = await pool.connect()
  try {
    await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY')
    const head = (await client.query<{ position: number; head_hash: Buffer }>('SELECT position, head_hash FROM agency_heads WHERE agency_id = $1', [agencyId])).rows[0]
    const digests = (await client.query<DigestRow>(`SELECT ${DIGEST_COLUMNS} FROM audit_digests WHERE agency_id = $1 ORDER BY seq`, [agencyId])).rows.map(toDigest)
    const walk = new AgencyWalk(agencyId, digests, ctx, ctx.registered.has(agencyId))
    const batchSize = opts.batchSize ?? 2_000
    const headPosition = head?.position ?? 0
    // Up to the head: windows of positions (a range scan of the key whatever the planner's statistics say; a
    // LIMIT without them was measured sorting the agency's whole remaining log per batch). Past the head, where
    // nothing should be, keyset pages until none is left. The next query runs while this batch is hashed.
    const read = (from: number): Promise<pg.QueryResult<EventRow>> => from <= headPosition
      ? client.query<EventRow>(`SELECT ${EVENT_COLUMNS} FROM events WHERE agency_id = $1 AND agency_position BETWEEN $2 AND $3 ORDER BY agency_position`,
        [agencyId, from, Math.min(from + batchSize - 1, headPosition)])
      : client.query<EventRow>(`SELECT ${EVENT_COLUMNS} FROM events WHERE agency_id = $1 AND agency_position >= $2 ORDER BY agency_position LIMIT $3`, [agencyId, from, batchSize])
    let from = 1
    let pending: Promise<pg.QueryResult<EventRow>> | undefined = read(from)
    while (pending) {
      const { rows }: { rows: EventRow[] } = await pending
      const last = rows.at(-1)?.agency_position
      from = from <= headPosition ? Math.min(from + batchSize - 1, headPosition) + 1 : (last ?? from) + 1
      pending = from <= headPosition || rows.length > 0 ? read(from) : undefined
      for (const row of rows) {
        const broken = walk.event(row)
        if (broken) {
          await pending?.catch(() => undefined)
          return broken
        }
      }
      if (rows.length > 0) opts.onProgress?.({ agencyId, events: walk.eventsChecked, total: Math.max(headPosition, walk.eventsChecked) })
    }
    const broken = walk.finish(head)
    if (!broken) notes.push(...walk.notes())
    return broken
  } finally {
    await client.query('ROLLBACK').catch(() => undefined)
    client.release()
  }
}

/** The checks of one agency's log, fed its events in position order. */
class AgencyWalk {
  eventsChecked = 0
  private expected = 1
  private prevHash = GENESIS_HASH
  private next = 0
  private open: { digest: Digest; tree: MerkleBuilder; firstHash?: string } | undefined
  private sealedThrough = 0
  /** recorded_at of the first event no digest in the database seals. */
  private firstUnsealedAt: unknown
  /** The saved copies not met yet, by seq. */
  private readonly saved = new Map<number, Digest>()
  private readonly keys: Map<string, string>
  private readonly checked: Counts

  constructor(private readonly agencyId: string, private readonly digests: Digest[], private readonly ctx: Context, private readonly registered: boolean) {
    this.keys = ctx.keys
    this.checked = ctx.checked
    for (const d of ctx.saved.get(agencyId) ?? []) this.saved.set(d.seq, d)
  }

  event(row: EventRow): BrokenLink | undefined {
    try {
      return this.check(row)
    } catch (err) {
      // A row no append can have written (a column a superuser set to what the checks cannot take): named, not a crash.
      return { kind: 'MALFORMED', agencyId: this.agencyId, position: this.expected, streamId: String(row.stream_id), eventId: String(row.event_id),
        actual: err instanceof Error ? err.message : String(err),
        message: `the row at position ${String(row.agency_position)} of agency ${this.agencyId} cannot be checked (${err instanceof Error ? err.message : String(err)}): it was changed in the database` }
    }
  }

  private check(row: EventRow): BrokenLink | undefined {
    const position = row.agency_position
    const at = { agencyId: this.agencyId, position, streamId: row.stream_id, streamVersion: row.stream_version, eventId: row.event_id }
    if (position !== this.expected) {
      const missing = position - 1 > this.expected ? `positions ${this.expected}–${position - 1} are` : `position ${this.expected} is`
      return { kind: 'GAP', agencyId: this.agencyId, position: this.expected, expected: `position ${this.expected}`, actual: `position ${position}`,
        message: `${missing} missing from agency ${this.agencyId}'s log (next present: position ${position}, stream ${row.stream_id} v${row.stream_version}): events were deleted` }
    }
    const header = this.enterDigest(position)
    if (header) return header
    if (!this.open && position === this.sealedThrough + 1) this.firstUnsealedAt = row.recorded_at
    const storedPrev = row.prev_hash.toString('hex')
    if (storedPrev !== this.prevHash) {
      return { kind: 'CHAIN_BROKEN', ...at, expected: this.prevHash, actual: storedPrev,
        message: `the event at position ${position} (stream ${row.stream_id} v${row.stream_version}) does not link to the event before it: its prev_hash is not that event's hash` }
    }
    const stored = row.hash.toString('hex')
    const recomputed = recomputeHash(row, storedPrev)
    if (typeof recomputed !== 'string') {
      return { kind: 'CONTENT_CHANGED', ...at, expected: stored, actual: `no hash: ${recomputed.unhashable}`,
        message: `the event at position ${position} (stream ${row.stream_id} v${row.stream_version}, event ${row.event_id}) was changed: ${recomputed.unhashable}, which no append can have recorded` }
    }
    if (recomputed !== stored) {
      return { kind: 'CONTENT_CHANGED', ...at, expected: stored, actual: recomputed,
        message: `the event at position ${position} (stream ${row.stream_id} v${row.stream_version}, event ${row.event_id}) was changed: its fields now hash to the actual value, not to its stored hash (expected)` }
    }
    this.prevHash = stored
    this.expected++
    this.eventsChecked++
    this.checked.events++
    return this.sealEvent(position, row.hash)
  }

  /** After the last event: a log lost whole, the head row, any digest reaching past the log's end, saved digests not met, the overdue rule. */
  finish(head: { position: number; head_hash: Buffer } | undefined): BrokenLink | undefined {
    const last = this.expected - 1
    const headPosition = head?.position ?? 0
    const headHash = head?.head_hash.toString('hex') ?? GENESIS_HASH
    if (last === 0 && (this.registered || headPosition > 0 || this.digests.length > 0 || this.saved.size > 0)) {
      const why = [this.registered ? 'it is registered (agencies)' : '', headPosition > 0 ? `its head is at position ${headPosition}` : '',
        this.digests.length + this.saved.size > 0 ? 'digests seal its events' : ''].filter(Boolean).join(', ')
      return { kind: 'GAP', agencyId: this.agencyId, position: 1, expected: headPosition > 0 ? `positions 1–${headPosition}` : 'position 1', actual: 'no events',
        message: `agency ${this.agencyId} has no events although ${why}: its whole log was deleted` }
    }
    if (headPosition !== last || headHash !== this.prevHash) {
      const lost = headPosition > last
      return { kind: 'HEAD_MISMATCH', agencyId: this.agencyId, position: lost ? last + 1 : headPosition,
        expected: `position ${last}, hash ${this.prevHash}`, actual: head ? `position ${headPosition}, hash ${headHash}` : 'no head row',
        message: lost ? `agency ${this.agencyId}'s head is at position ${headPosition} but its log ends at ${last}: the last events were deleted`
          : `agency ${this.agencyId}'s head row (position ${headPosition}) does not match its last event (position ${last})` }
    }
    const unfinished = this.open?.digest ?? this.digests[this.next]
    if (unfinished) {
      return { kind: 'DIGEST_MISMATCH', agencyId: this.agencyId, position: last + 1, digestSeq: unfinished.seq,
        expected: `positions up to ${unfinished.lastPosition}`, actual: `log ends at ${last}`,
        message: `digest ${unfinished.seq} of agency ${this.agencyId} seals positions ${unfinished.firstPosition}–${unfinished.lastPosition} but the log ends at ${last}: sealed events were deleted` }
    }
    const missing = [...this.saved.values()].sort((a, b) => a.seq - b.seq)[0]
    if (missing) {
      const bad = this.checkSaved(missing)
      if (bad) return bad
      return { kind: 'DIGEST_CHAIN_BROKEN', agencyId: this.agencyId, position: missing.firstPosition, digestSeq: missing.seq,
        expected: `digest ${missing.seq} (positions ${missing.firstPosition}–${missing.lastPosition}, digest hash ${missing.digestHash})`, actual: `the database's digests end at seq ${this.digests.at(-1)?.seq ?? 0}`,
        message: `digest ${missing.seq} of agency ${this.agencyId} (positions ${missing.firstPosition}–${missing.lastPosition}), saved from the service, is not in the database: it was removed, and the events it sealed may have been rewritten` }
    }
    const passes = this.sealedThrough < last ? overduePasses(this.firstUnsealedAt, this.ctx.passes, this.ctx.opts.digestIntervalMs ?? 3_600_000) : undefined
    if (passes) {
      const seq = (this.digests.at(-1)?.seq ?? 0) + 1
      return { kind: 'DIGEST_CHAIN_BROKEN', agencyId: this.agencyId, position: this.sealedThrough + 1, digestSeq: seq,
        expected: `digest ${seq} sealing position ${this.sealedThrough + 1} (due at the passes of ${passes.map((p) => p.toISOString()).join(' and ')})`, actual: 'no such digest',
        message: overdueMessage(this.agencyId, this.sealedThrough + 1, this.firstUnsealedAt as Date, passes) }
    }
    return undefined
  }

  notes(): string[] {
    const last = this.expected - 1
    if (last <= this.sealedThrough) return []
    const range = last === this.sealedThrough + 1 ? `position ${last} is` : `positions ${this.sealedThrough + 1}–${last} are`
    return [`agency ${this.agencyId}: ${range} not sealed by a digest yet (until then, a rewrite that also fixes the head would not show)`]
  }

  /** At the first position after the previous digest: the next digest's signature, hash, chain and range. */
  private enterDigest(position: number): BrokenLink | undefined {
    const d = this.digests[this.next]
    if (this.open || !d || position !== this.sealedThrough + 1) return undefined
    const prev = this.digests[this.next - 1]
    const at = { agencyId: this.agencyId, position: d.firstPosition, digestSeq: d.seq }
    const key = this.keys.get(d.keyId)
    if (key === undefined) return { kind: 'UNKNOWN_KEY', ...at, actual: d.keyId, message: `digest ${d.seq} of agency ${this.agencyId} is signed by key ${d.keyId}, which none of the given public keys is` }
    this.checked.signatures++
    if (!verifySignature(key, digestBodyBytes(d), d.signature)) {
      return { kind: 'BAD_SIGNATURE', ...at, message: `digest ${d.seq} of agency ${this.agencyId} (positions ${d.firstPosition}–${d.lastPosition}) does not verify with key ${d.keyId}: the row was changed` }
    }
    const bodyHash = digestHashOf(d)
    if (bodyHash !== d.digestHash) return { kind: 'DIGEST_MISMATCH', ...at, expected: bodyHash, actual: d.digestHash, message: `digest ${d.seq} of agency ${this.agencyId}: its stored digest hash is not the hash of its signed body` }
    const want = { seq: (prev?.seq ?? 0) + 1, first: this.sealedThrough + 1, previous: prev?.digestHash ?? GENESIS_HASH }
    if (d.seq !== want.seq || d.firstPosition !== want.first || d.previousDigestHash !== want.previous) {
      return { kind: 'DIGEST_CHAIN_BROKEN', ...at, position: want.first, expected: `seq ${want.seq} from position ${want.first} after digest hash ${want.previous}`,
        actual: `seq ${d.seq} from position ${d.firstPosition} after digest hash ${d.previousDigestHash}`,
        message: `digest ${d.seq} of agency ${this.agencyId} does not follow the digest before it: a digest is missing or was replaced` }
    }
    if (d.lastPosition < d.firstPosition || d.eventCount !== d.lastPosition - d.firstPosition + 1) {
      return { kind: 'DIGEST_MISMATCH', ...at, expected: `${d.lastPosition - d.firstPosition + 1} events`, actual: `${d.eventCount} events`, message: `digest ${d.seq} of agency ${this.agencyId}: its event count does not match its range` }
    }
    const copy = this.saved.get(d.seq)
    if (copy) {
      this.saved.delete(d.seq)
      const bad = this.checkSaved(copy)
      if (bad) return bad
      if (copy.digestHash !== d.digestHash) {
        const fields = (['firstPosition', 'lastPosition', 'eventCount', 'firstEventHash', 'lastEventHash', 'merkleRoot', 'previousDigestHash', 'createdAt', 'keyId'] as const)
          .filter((k) => copy[k] !== d[k])
        return { kind: 'DIGEST_MISMATCH', ...at, expected: copy.digestHash, actual: d.digestHash,
          message: `digest ${d.seq} of agency ${this.agencyId} in the database is not the one saved from the service (${fields.join(', ') || 'digest hash'} differ): it was replaced, and the events it seals may have been rewritten` }
      }
    }
    this.open = { digest: d, tree: new MerkleBuilder() }
    return undefined
  }

  /** A saved copy's own signature and hash: a copy that fails them proves nothing about the database. */
  private checkSaved(copy: Digest): BrokenLink | undefined {
    const at = { agencyId: this.agencyId, position: copy.firstPosition, digestSeq: copy.seq }
    const key = this.keys.get(copy.keyId)
    if (key === undefined) return { kind: 'UNKNOWN_KEY', ...at, actual: copy.keyId, message: `the saved copy of digest ${copy.seq} of agency ${this.agencyId} is signed by key ${copy.keyId}, which none of the given public keys is` }
    this.checked.signatures++
    if (!verifySignature(key, digestBodyBytes(copy), copy.signature)) {
      return { kind: 'BAD_SIGNATURE', ...at, message: `the saved copy of digest ${copy.seq} of agency ${this.agencyId} does not verify with key ${copy.keyId}: the saved file was changed` }
    }
    const bodyHash = digestHashOf(copy)
    if (bodyHash !== copy.digestHash) return { kind: 'DIGEST_MISMATCH', ...at, expected: bodyHash, actual: copy.digestHash, message: `the saved copy of digest ${copy.seq} of agency ${this.agencyId}: its digestHash is not the hash of its signed body (the saved file was changed)` }
    return undefined
  }

  /** Feeds the open digest; at its last position compares its end hashes and Merkle root with the stored event hashes. */
  private sealEvent(position: number, hash: Buffer): BrokenLink | undefined {
    const open = this.open
    if (!open) return undefined
    open.tree.push(hash)
    open.firstHash ??= hash.toString('hex')
    const d = open.digest
    if (position !== d.lastPosition) return undefined
    this.open = undefined
    this.next++
    this.sealedThrough = d.lastPosition
    this.checked.digests++
    const root = open.tree.root().toString('hex')
    const at = { agencyId: this.agencyId, digestSeq: d.seq }
    if (open.firstHash !== d.firstEventHash) return { kind: 'DIGEST_MISMATCH', ...at, position: d.firstPosition, expected: d.firstEventHash, actual: open.firstHash, message: `the event at position ${d.firstPosition} is not the one digest ${d.seq} sealed (its hash differs)` }
    if (root !== d.merkleRoot) {
      return { kind: 'DIGEST_MISMATCH', ...at, position: d.firstPosition, expected: d.merkleRoot, actual: root,
        message: `the events at positions ${d.firstPosition}–${d.lastPosition} of agency ${this.agencyId} no longer give the Merkle root digest ${d.seq} sealed: one was changed, replaced or re-chained` }
    }
    if (hash.toString('hex') !== d.lastEventHash) return { kind: 'DIGEST_MISMATCH', ...at, position, expected: d.lastEventHash, actual: hash.toString('hex'), message: `the event at position ${position} is not the one digest ${d.seq} sealed (its hash differs)` }
    return undefined
  }
}

/** The chained hash of a row as stored, or why none can be computed (a field no append can have written). */
function recomputeHash(row: EventRow, prevHash: string): string | { unhashable: string } {
  const at: unknown = row.recorded_at
  if (!(at instanceof Date) || Number.isNaN(at.getTime())) return { unhashable: `its recorded_at (${String(at)}) is not an instant` }
  try {
    return chainHash(prevHash, row.agency_position, contentHash(toEventContent(row)))
  } catch (err) {
    return { unhashable: `its fields cannot be hashed (${err instanceof Error ? err.message : String(err)}: a number out of range in data or metadata?)` }
  }
}
