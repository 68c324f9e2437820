// Digests (in the spirit of CloudTrail's digest files): each seals a range of one agency's positions with the
// Merkle root of their event hashes, chains to the agency's previous digest and is signed (Ed25519). A later
// rewrite of sealed events, even one that re-chains every hash after it, no longer gives the sealed root.
// Reads events and writes audit_digests (append-only); the scheduler calls sealDigests under its lease.
import { createHash } from 'node:crypto'
import { readFileSync } from 'node:fs'
import type pg from 'pg'
import { z } from 'zod'
import { canonicalJson, GENESIS_HASH } from '../eventstore/hash.js'
import { ensureKeyRegistered } from './keys.js'
import { MerkleBuilder } from './merkle.js'
import type { Signer } from './signing.js'

/** What is signed: the canonical JSON (RFC 8785) of this object; digestHash is the SHA-256 (hex) of the same bytes. */
export interface DigestBody {
  version: 1
  agencyId: string
  seq: number
  firstPosition: number
  lastPosition: number
  eventCount: number
  /** Hashes in hex. */
  firstEventHash: string
  lastEventHash: string
  merkleRoot: string
  /** The digestHash of seq - 1; GENESIS_HASH for seq 1. */
  previousDigestHash: string
  /** ISO-8601, UTC, milliseconds. */
  createdAt: string
  keyId: string
}

export interface Digest extends DigestBody {
  digestHash: string
  /** Ed25519 over canonicalJson(body), base64. */
  signature: string
}

/** The signed bytes of a digest (the body's canonical JSON). */
export function digestBodyBytes(d: DigestBody): Buffer {
  const body: DigestBody = {
    version: d.version, agencyId: d.agencyId, seq: d.seq, firstPosition: d.firstPosition, lastPosition: d.lastPosition,
    eventCount: d.eventCount, firstEventHash: d.firstEventHash, lastEventHash: d.lastEventHash, merkleRoot: d.merkleRoot,
    previousDigestHash: d.previousDigestHash, createdAt: d.createdAt, keyId: d.keyId,
  }
  return Buffer.from(canonicalJson(body), 'utf8')
}

export const digestHashOf = (d: DigestBody): string => createHash('sha256').update(digestBodyBytes(d)).digest('hex')

export const DIGEST_COLUMNS = `agency_id, seq, first_position, last_position, event_count, first_event_hash, last_event_hash,
  merkle_root, previous_digest_hash, digest_hash, key_id, signature, created_at`

export interface DigestRow {
  agency_id: string
  seq: number
  first_position: number
  last_position: number
  event_count: number
  first_event_hash: Buffer
  last_event_hash: Buffer
  merkle_root: Buffer
  previous_digest_hash: Buffer
  digest_hash: Buffer
  key_id: string
  signature: Buffer
  created_at: Date
}

/** ISO-8601 of a timestamptz as pg gives it; a value that is no instant (a row set to 'infinity') as text, so its signature fails. */
const isoOf = (v: unknown): string => (v instanceof Date && !Number.isNaN(v.getTime()) ? v.toISOString() : String(v))

export function toDigest(r: DigestRow): Digest {
  return {
    version: 1, agencyId: r.agency_id, seq: r.seq, firstPosition: r.first_position, lastPosition: r.last_position,
    eventCount: r.event_count, firstEventHash: r.first_event_hash.toString('hex'), lastEventHash: r.last_event_hash.toString('hex'),
    merkleRoot: r.merkle_root.toString('hex'), previousDigestHash: r.previous_digest_hash.toString('hex'),
    createdAt: isoOf(r.created_at), keyId: r.key_id, digestHash: r.digest_hash.toString('hex'), signature: r.signature.toString('base64'),
  }
}

export interface SealOptions {
  /** A digest is sealed for an agency at most this often (ms); default one hour (AUDIT_DIGEST_INTERVAL_MS). */
  intervalMs?: number | undefined
  /** Most events one digest seals; default 100,000 (a longer backlog gets several digests in one pass). */
  maxEvents?: number | undefined
  /** Event hashes read per query; default 10,000. */
  batchSize?: number | undefined
  /** Called for an agency that could not be sealed, and the other agencies are still sealed; without it the error is thrown. */
  onError?: ((agencyId: string, err: unknown) => void) | undefined
}

/** The log cannot be sealed as it stands (positions or links broken): `npm run admin -- verify database` says where. */
export class DigestSealError extends Error {
  override name = 'DigestSealError'
}

/** Margin for an event's commit after its recordedAt and for a pass's own duration, in the overdue rule. */
export const OVERDUE_MARGIN_MS = 3_600_000

/**
 * The overdue rule (sealer and verifier): the first unsealed event of an agency, recorded at `recordedAt`, was
 * already 2 intervals + 1 hour old at two earlier sealing passes (`passes`: the latest distinct digest creation
 * times before now, any agency). Each such pass found the agency due and sealed it, so a digest sealing the
 * event existed and has been removed. Two passes, not one, so that a pass cut short is not taken for one. Gives
 * those passes, or undefined. An event whose recorded_at is no instant is left to the verifier's content check.
 */
export function overduePasses(recordedAt: unknown, passes: readonly Date[], intervalMs: number): Date[] | undefined {
  if (!(recordedAt instanceof Date) || Number.isNaN(recordedAt.getTime())) return undefined
  const dueBy = recordedAt.getTime() + 2 * intervalMs + OVERDUE_MARGIN_MS
  const later = passes.filter((p) => p.getTime() > dueBy)
  return later.length >= 2 ? later : undefined
}

/** The two latest distinct digest creation times before `now`, newest first (each agency's last two digests, on the key). */
export async function recentPasses(db: Pick<pg.Pool, 'query'>, now: Date): Promise<Date[]> {
  const { rows } = await db.query<{ created_at: Date }>(`
    SELECT DISTINCT d.created_at FROM agency_heads h
    CROSS JOIN LATERAL (SELECT created_at FROM audit_digests d WHERE d.agency_id = h.agency_id ORDER BY seq DESC LIMIT 2) d
    WHERE d.created_at < $1 ORDER BY d.created_at DESC LIMIT 2`, [now])
  return rows.map((r) => r.created_at).filter((d) => d instanceof Date && !Number.isNaN(d.getTime()))
}

/** What the overdue rule says, in words (the sealer's error and the verifier's broken link). */
export function overdueMessage(agencyId: string, position: number, recordedAt: Date, passes: readonly Date[]): string {
  return `agency ${agencyId}: position ${position} (recorded ${recordedAt.toISOString()}) is not sealed, though it was due at the sealing passes of ` +
    `${passes.map((p) => p.toISOString()).join(' and ')}: the digest that sealed it was probably removed (and its events may have been rewritten); ` +
    'compare with the digests saved from the service: npm run admin -- verify database --digests <file>'
}

interface Tip {
  agencyId: string
  head: number
  seq: number | null
  lastPosition: number | null
  lastEventHash: Buffer | null
  digestHash: Buffer | null
}

const TIPS = `
  SELECT h.agency_id AS "agencyId", h.position AS head, d.seq, d.last_position AS "lastPosition",
         d.last_event_hash AS "lastEventHash", d.digest_hash AS "digestHash"
  FROM agency_heads h
  LEFT JOIN LATERAL (SELECT seq, last_position, last_event_hash, digest_hash, created_at FROM audit_digests d
                     WHERE d.agency_id = h.agency_id ORDER BY seq DESC LIMIT 1) d ON true`

/**
 * Seals, for every agency whose head is past its last digest and whose last digest is at least intervalMs
 * old (or which has none), the positions after that digest up to the head as read first, in digests of
 * at most maxEvents. Safe to run concurrently: a losing insert seals nothing and the agency is left to the
 * winner. Returns the digests written.
 */
export async function sealDigests(pool: pg.Pool, signer: Signer, now: Date, opts: SealOptions = {}): Promise<Digest[]> {
  const cutoff = new Date(now.getTime() - (opts.intervalMs ?? 3_600_000))
  const { rows } = await pool.query<Tip>(
    `${TIPS} WHERE h.position > coalesce(d.last_position, 0) AND (d.created_at IS NULL OR d.created_at <= $1) ORDER BY h.agency_id`,
    [cutoff],
  )
  const passes = rows.length > 0 ? await recentPasses(pool, now) : []
  const sealed: Digest[] = []
  for (const tip of rows) {
    try {
      sealed.push(...(await sealFrom(pool, signer, tip, now, opts, passes)))
    } catch (err) {
      if (!opts.onError) throw err
      opts.onError(tip.agencyId, err)
    }
  }
  return sealed
}

/**
 * Seals an agency's unsealed positions now, whatever the interval (tests, the bench, an operator). The overdue
 * rule still applies (with `intervalMs`, default one hour) unless `acceptOverdue`: set it only after
 * `verify database --digests` has shown the log to agree with the digests saved from the service.
 */
export async function sealAgencyNow(pool: pg.Pool, signer: Signer, agencyId: string, now: Date,
  opts: Pick<SealOptions, 'maxEvents' | 'batchSize' | 'intervalMs'> & { acceptOverdue?: boolean } = {}): Promise<Digest[]> {
  const { rows } = await pool.query<Tip>(`${TIPS} WHERE h.agency_id = $1`, [agencyId])
  const tip = rows[0]
  return tip ? sealFrom(pool, signer, tip, now, opts, opts.acceptOverdue ? [] : await recentPasses(pool, now)) : []
}

async function sealFrom(pool: pg.Pool, signer: Signer, tip: Tip, now: Date, opts: SealOptions, passes: readonly Date[]): Promise<Digest[]> {
  const maxEvents = opts.maxEvents ?? 100_000
  const out: Digest[] = []
  let prev = { seq: tip.seq ?? 0, lastPosition: tip.lastPosition ?? 0, lastEventHash: tip.lastEventHash?.toString('hex') ?? GENESIS_HASH, digestHash: tip.digestHash?.toString('hex') ?? GENESIS_HASH }
  if (prev.lastPosition >= tip.head) return out
  if (passes.length >= 2) {
    const first = prev.lastPosition + 1
    const { rows } = await pool.query<{ recorded_at: unknown }>('SELECT recorded_at FROM events WHERE agency_id = $1 AND agency_position = $2', [tip.agencyId, first])
    const recordedAt = rows[0]?.recorded_at
    const missed = overduePasses(recordedAt, passes, opts.intervalMs ?? 3_600_000)
    if (missed) throw new DigestSealError(`${overdueMessage(tip.agencyId, first, recordedAt as Date, missed)}; not sealed`)
  }
  await ensureKeyRegistered(pool, signer)
  while (prev.lastPosition < tip.head) {
    const first = prev.lastPosition + 1
    const last = Math.min(tip.head, prev.lastPosition + maxEvents)
    const range = await hashRange(pool, tip.agencyId, first, last, prev.lastEventHash, opts.batchSize ?? 10_000)
    const body: DigestBody = {
      version: 1, agencyId: tip.agencyId, seq: prev.seq + 1, firstPosition: first, lastPosition: last, eventCount: last - first + 1,
      firstEventHash: range.firstEventHash, lastEventHash: range.lastEventHash, merkleRoot: range.merkleRoot,
      previousDigestHash: prev.digestHash, createdAt: now.toISOString(), keyId: signer.keyId,
    }
    const bytes = digestBodyBytes(body)
    const digest: Digest = { ...body, digestHash: createHash('sha256').update(bytes).digest('hex'), signature: signer.sign(bytes) }
    if (!(await insertDigest(pool, digest))) break
    out.push(digest)
    prev = { seq: digest.seq, lastPosition: last, lastEventHash: digest.lastEventHash, digestHash: digest.digestHash }
  }
  return out
}

/** The Merkle root and end hashes of positions first..last, read in windows of positions; refuses a gap or a broken link. */
async function hashRange(pool: pg.Pool, agencyId: string, first: number, last: number, prevHash: string, batchSize: number) {
  const tree = new MerkleBuilder()
  let firstEventHash: string | undefined
  let previous: Buffer = Buffer.from(prevHash, 'hex')
  let expected = first
  while (expected <= last) {
    // A window of positions, not a LIMIT: a range scan of the key even where the statistics are stale.
    const { rows } = await pool.query<{ agency_position: number; prev_hash: Buffer; hash: Buffer }>(
      'SELECT agency_position, prev_hash, hash FROM events WHERE agency_id = $1 AND agency_position BETWEEN $2 AND $3 ORDER BY agency_position',
      [agencyId, expected, Math.min(last, expected + batchSize - 1)],
    )
    if (rows.length === 0) throw new DigestSealError(`agency ${agencyId}: position ${expected} is missing below the head (${last}); not sealed`)
    for (const r of rows) {
      if (r.agency_position !== expected) throw new DigestSealError(`agency ${agencyId}: position ${expected} is missing (next present: ${r.agency_position}); not sealed`)
      if (!r.prev_hash.equals(previous)) throw new DigestSealError(`agency ${agencyId}: the event at position ${expected} does not link to the one before it; not sealed`)
      firstEventHash ??= r.hash.toString('hex')
      tree.push(r.hash)
      previous = r.hash
      expected++
    }
  }
  return { firstEventHash: firstEventHash ?? GENESIS_HASH, lastEventHash: previous.toString('hex'), merkleRoot: tree.root().toString('hex') }
}

async function insertDigest(pool: pg.Pool, d: Digest): Promise<boolean> {
  const hex = (h: string) => Buffer.from(h, 'hex')
  const { rowCount } = await pool.query(
    `INSERT INTO audit_digests (${DIGEST_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13) ON CONFLICT DO NOTHING`,
    [d.agencyId, d.seq, d.firstPosition, d.lastPosition, d.eventCount, hex(d.firstEventHash), hex(d.lastEventHash), hex(d.merkleRoot),
      hex(d.previousDigestHash), hex(d.digestHash), d.keyId, Buffer.from(d.signature, 'base64'), d.createdAt],
  )
  return rowCount === 1
}

/** One agency's digests in seq order after `afterSeq` (keyset), for auditors. */
export async function listDigests(pool: pg.Pool, agencyId: string, first: number, afterSeq = 0): Promise<{ items: Digest[]; hasNextPage: boolean }> {
  const { rows } = await pool.query<DigestRow>(
    `SELECT ${DIGEST_COLUMNS} FROM audit_digests WHERE agency_id = $1 AND seq > $2 ORDER BY seq LIMIT $3`,
    [agencyId, afterSeq, first + 1],
  )
  return { items: rows.slice(0, first).map(toDigest), hasNextPage: rows.length > first }
}

/** A digests file that cannot be used; the message says what is wrong with it. */
export class DigestsFileError extends Error {
  override name = 'DigestsFileError'
}

const hex64 = z.string().regex(/^[0-9a-f]{64}$/)
const position = z.number().int().positive()
const SavedDigest = z.object({
  version: z.literal(1), agencyId: z.string().min(1), seq: position, firstPosition: position, lastPosition: position, eventCount: position,
  firstEventHash: hex64, lastEventHash: hex64, merkleRoot: hex64, previousDigestHash: hex64, createdAt: z.string().min(1), keyId: z.string().min(1),
  digestHash: hex64, signature: z.string().min(1),
})

/**
 * The digests in a file saved from GET /api/audit-trail/digests?agencyId=...: one page's body
 * (`{items, pageInfo}`), several bodies one after another (pages saved in turn, appended to one file), a JSON
 * array of digests (or of pages), or digests one per line. Copies of the same digest count once; two different
 * digests with one agency and seq are refused. Sorted by agency, then seq.
 */
export function readDigestsFile(path: string): Digest[] {
  let text: string
  try {
    text = readFileSync(path, 'utf8')
  } catch (err) {
    throw new DigestsFileError(`cannot read the digests file ${path}: ${(err as NodeJS.ErrnoException).code ?? String(err)}`)
  }
  return parseDigests(text, path)
}

/** readDigestsFile's parsing, for text at hand. */
export function parseDigests(text: string, source = 'the digests'): Digest[] {
  const found: unknown[] = []
  const take = (v: unknown): void => {
    if (Array.isArray(v)) v.forEach(take)
    else if (v !== null && typeof v === 'object' && 'items' in v) take((v as { items: unknown }).items)
    else found.push(v)
  }
  for (const value of jsonValues(text.replace(/^\uFEFF/, ''), source)) take(value)
  if (found.length === 0) throw new DigestsFileError(`${source}: no digests in it (save the body of GET /api/audit-trail/digests?agencyId=<agency>, every page)`)
  const bySeq = new Map<string, Digest>()
  found.forEach((v, i) => {
    const parsed = SavedDigest.safeParse(v)
    if (!parsed.success) {
      const issue = parsed.error.issues[0]
      throw new DigestsFileError(`${source}: digest ${i + 1} is not one of GET /api/audit-trail/digests's items (${issue?.path.join('.') || 'item'}: ${issue?.message ?? 'invalid'})`)
    }
    const d = parsed.data
    const key = `${d.agencyId}\u0000${d.seq}`
    const known = bySeq.get(key)
    if (known && (known.digestHash !== d.digestHash || known.signature !== d.signature)) {
      throw new DigestsFileError(`${source}: two different digests ${d.seq} of agency ${d.agencyId} (digest hashes ${known.digestHash} and ${d.digestHash})`)
    }
    bySeq.set(key, d)
  })
  return [...bySeq.values()].sort((a, b) => (a.agencyId < b.agencyId ? -1 : a.agencyId > b.agencyId ? 1 : a.seq - b.seq))
}

/** The JSON values of a text holding one or more of them one after another (objects and arrays only). */
function* jsonValues(text: string, source: string): Generator<unknown> {
  let i = 0
  while (i < text.length) {
    while (i < text.length && /\s/.test(text[i] ?? '')) i++
    if (i >= text.length) return
    const start = i
    if (text[i] !== '{' && text[i] !== '[') throw new DigestsFileError(`${source}: expected a JSON object or array at character ${i + 1}`)
    let depth = 0
    let inString = false
    for (; i < text.length; i++) {
      const c = text[i]
      if (inString) {
        if (c === '\\') i++
        else if (c === '"') inString = false
      } else if (c === '"') inString = true
      else if (c === '{' || c === '[') depth++
      else if ((c === '}' || c === ']') && --depth === 0) break
    }
    if (depth !== 0) throw new DigestsFileError(`${source}: the JSON that starts at character ${start + 1} is cut short`)
    i++
    try {
      yield JSON.parse(text.slice(start, i))
    } catch {
      throw new DigestsFileError(`${source}: the JSON that starts at character ${start + 1} is not valid`)
    }
  }
}
