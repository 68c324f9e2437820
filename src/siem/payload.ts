// Reading a delivery's bytes safely: strict UTF-8, bounded JSON nesting, zod validation with paths,
// hashing. Every parser goes through here, so the hardening rules live in one place.
import { createHash } from 'node:crypto'
import type { z } from 'zod'
import { ParseError } from './types.js'

/** Deeper JSON is refused before it is parsed: no real alert nests anywhere near this. */
export const MAX_JSON_DEPTH = 64
/** More alerts than this in one delivery is refused (senders batch far fewer). */
export const MAX_ALERTS = 1000

const decoder = new TextDecoder('utf-8', { fatal: true })
const lenient = new TextDecoder('utf-8', { ignoreBOM: true })

/**
 * Byte offset of the first invalid UTF-8 sequence, for the error message. Up to there the lenient
 * decoding is exact, so the offset is the byte length of what precedes the first U+FFFD that the
 * body did not itself contain (as EF BF BD).
 */
function firstInvalidByte(raw: Buffer): number {
  let offset = 0
  for (const ch of lenient.decode(raw)) {
    if (ch === '\uFFFD' && !(raw[offset] === 0xef && raw[offset + 1] === 0xbf && raw[offset + 2] === 0xbd)) return offset
    offset += Buffer.byteLength(ch, 'utf8')
  }
  return offset
}

/**
 * The body as text: invalid UTF-8 is refused (never replaced, so the evidence and the alert agree),
 * a leading BOM is dropped, and NUL characters are removed (PostgreSQL text cannot hold them).
 */
export function decodeText(raw: Buffer): string {
  let text: string
  try {
    text = decoder.decode(raw)
  } catch {
    throw new ParseError('UnreadablePayload', `the body is not valid UTF-8 (first invalid byte at offset ${firstInvalidByte(raw)})`)
  }
  return text.includes('\u0000') ? text.replaceAll('\u0000', '') : text
}

/**
 * Throws when arrays/objects nest deeper than `max`. Runs on the text, before `JSON.parse`, so a
 * hostile body never becomes a deep object graph that later recursive code could overflow on.
 */
export function assertJsonDepth(text: string, max = MAX_JSON_DEPTH): void {
  let depth = 0
  let inString = false
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i)
    if (inString) {
      if (c === 0x5c) i++ // backslash: the next character is escaped
      else if (c === 0x22) inString = false
    } else if (c === 0x22) inString = true
    else if (c === 0x7b || c === 0x5b) {
      if (++depth > max) throw new ParseError('UnsupportedShape', `JSON nests deeper than ${max} levels (at character ${i})`)
    } else if (c === 0x7d || c === 0x5d) depth--
  }
}

/** Decoded, depth-checked, parsed JSON. `__proto__` keys stay plain data (JSON.parse defines them). */
export function readJson(raw: Buffer): unknown {
  return parseJsonText(decodeText(raw))
}

export function parseJsonText(text: string): unknown {
  if (text.trim() === '') throw new ParseError('UnreadablePayload', 'the body is empty')
  assertJsonDepth(text)
  try {
    return JSON.parse(text)
  } catch (e) {
    throw new ParseError('UnreadablePayload', `the body is not JSON: ${(e as Error).message}`)
  }
}

/** `$`, `$.alerts[2].labels`, `$["kibana.alert.severity"]`: where an issue is. */
export function formatPath(path: readonly PropertyKey[]): string {
  return path.reduce<string>((acc, key) => {
    if (typeof key === 'number') return `${acc}[${key}]`
    const name = String(key)
    return /^[A-Za-z_$][\w$]*$/.test(name) ? `${acc}.${name}` : `${acc}[${JSON.stringify(name)}]`
  }, '$')
}

/** The value as the schema's output, or `UnsupportedShape` naming the first problems and their paths. */
export function validate<S extends z.ZodType>(schema: S, value: unknown, what: string, basePath: readonly PropertyKey[] = []): z.output<S> {
  const result = schema.safeParse(value)
  if (result.success) return result.data
  const issues = result.error.issues
  const first = formatPath([...basePath, ...(issues[0]?.path ?? [])])
  const listed = issues.slice(0, 3).map((i) => `${formatPath([...basePath, ...i.path])}: ${i.message}`)
  const more = issues.length > 3 ? ` (and ${issues.length - 3} more)` : ''
  throw new ParseError('UnsupportedShape', `not a ${what} payload: ${listed.join('; ')}${more}`, first)
}

export function sha256Hex(data: string | Buffer): string {
  return createHash('sha256').update(data).digest('hex')
}

/**
 * JSON with object keys sorted (by UTF-16 code units, as RFC 8785 does) at every level, so that the
 * same data always hashes the same whatever order the sender wrote the keys in. Depth is bounded by
 * `assertJsonDepth` before any value reaches here.
 */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null'
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`
  const record = value as Record<string, unknown>
  const keys = Object.keys(record).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))
  return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson(record[k])}`).join(',')}}`
}

/** True for a non-array object: what most formats require at the top. */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}
