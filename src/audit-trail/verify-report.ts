// What a verification (of the database or of an export file) reports: intact, or the first broken link with
// where it is and what differs. Shared by `npm run admin -- verify` for both kinds of input.

export const breakKinds = [
  /** An event's stored fields no longer give its chained hash (data, metadata or identity changed). */
  'CONTENT_CHANGED',
  /** An event's prev_hash is not the hash of the event before it. */
  'CHAIN_BROKEN',
  /** A position is missing from a range that must be dense (a deleted event). */
  'GAP',
  /** The agency's head row (position, head hash) disagrees with its last event. */
  'HEAD_MISMATCH',
  /** A digest's Merkle root, range or event hashes disagree with the events it seals. */
  'DIGEST_MISMATCH',
  /** A digest does not chain to the one before it. */
  'DIGEST_CHAIN_BROKEN',
  /** A signature (digest or manifest) does not verify. */
  'BAD_SIGNATURE',
  /** A signature names a key id that none of the given public keys has. */
  'UNKNOWN_KEY',
  /** The export's bytes, count or first/last event disagree with its manifest. */
  'MANIFEST_MISMATCH',
  /** The input cannot be read as what it claims to be (a line that is not JSON, a missing column). */
  'MALFORMED',
] as const
export type BreakKind = (typeof breakKinds)[number]

export interface BrokenLink {
  kind: BreakKind
  agencyId?: string | undefined
  position?: number | undefined
  streamId?: string | undefined
  streamVersion?: number | undefined
  eventId?: string | undefined
  /** A digest's sequence number, when the break is in a digest. */
  digestSeq?: number | undefined
  /** A line of an export file (1-based), when the input is a file. */
  line?: number | undefined
  /** What was expected there and what was found (hashes, positions, counts). */
  expected?: string | undefined
  actual?: string | undefined
  /** One sentence a person can act on. */
  message: string
}

export interface VerifyReport {
  intact: boolean
  /** What was checked. */
  subject: 'database' | 'export'
  checked: { events: number; agencies?: number; digests?: number; signatures?: number }
  /** Absent when intact. */
  firstBroken?: BrokenLink | undefined
  /** Things checked only in part (e.g. a filtered export cannot prove that nothing between its events is missing). */
  notes: string[]
}
