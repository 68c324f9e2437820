// The text grammar of one CEF record: an optional syslog header (RFC 3164 or RFC 5424), the
// `CEF:<n>|` header with seven pipe-separated fields, and the key=value extension.
import { ParseError } from './types.js'

export interface CefRecord {
  readonly version: string
  readonly vendor: string
  readonly product: string
  readonly deviceVersion: string
  readonly signatureId: string
  readonly name: string
  readonly severity: string
  /** Extension values, unescaped. A Map, so a key such as `__proto__` is plain data. */
  readonly extension: ReadonlyMap<string, string>
}

/** A syslog header is short; anything longer before `CEF:` is not one (and bounds the regexes). */
const MAX_PREFIX = 512
const month = '(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)'
const isoStamp = '\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(?:\\.\\d{1,9})?(?:Z|[+-]\\d{2}:?\\d{2})?'
/** RFC 3164 (`<134>Jun 12 10:15:42 fw01 tag[42]: `), also with a year or an ISO stamp, as many devices write it. */
const rfc3164 = new RegExp(`^(?:<\\d{1,3}>)?(?:${month} [ \\d]?\\d(?: \\d{4})? \\d{2}:\\d{2}:\\d{2}(?:\\.\\d{1,6})?|${isoStamp}) (?:[^\\s|]+ ){0,2}$`)
/** RFC 5424: `<PRI>VERSION TIMESTAMP HOST APP PROCID MSGID SD `, SD being `-` or `[...]` elements. */
const rfc5424 = new RegExp(`^<\\d{1,3}>\\d{1,2} (?:-|${isoStamp}) \\S+ \\S+ \\S+ \\S+ (?:-|(?:\\[(?:[^\\]\\\\]|\\\\.)*\\])+) (?:\\uFEFF)?$`)
const cefStart = /CEF:\d+\|/

/** Where the CEF header starts in `line`, or undefined when the text before it is not a syslog header. */
export function cefStartIndex(line: string): number | undefined {
  const match = cefStart.exec(line.length > MAX_PREFIX + 16 ? line.slice(0, MAX_PREFIX + 16) : line)
  if (!match) return undefined
  const prefix = line.slice(0, match.index)
  if (prefix === '' || /^<\d{1,3}>$/.test(prefix) || rfc3164.test(prefix) || rfc5424.test(prefix)) return match.index
  return undefined
}

/** Splits the header at unescaped pipes; `\|` and `\\` are the only escapes there (others stay as written). */
function splitHeader(text: string): { fields: string[]; rest: string } | undefined {
  const fields: string[] = []
  let current = ''
  for (let i = 0; i < text.length; i++) {
    const c = text[i]
    if (c === '\\' && (text[i + 1] === '|' || text[i + 1] === '\\')) {
      current += text[i + 1]
      i++
    } else if (c === '|') {
      fields.push(current)
      current = ''
      if (fields.length === 7) return { fields, rest: text.slice(i + 1) }
    } else current += c
  }
  return undefined
}

const unescapes: Readonly<Record<string, string>> = { '\\': '\\', '=': '=', n: '\n', r: '\r', '|': '|' }

function unescapeValue(value: string): string {
  return value.replace(/\\([\\=nr|])/g, (_, c: string) => unescapes[c] ?? c)
}

/**
 * Extension pairs: a key is the word just before an unescaped `=` that follows a space (or starts
 * the extension); its value runs to the space before the next key, so values may contain spaces.
 */
export function parseExtension(text: string): Map<string, string> {
  const keys = [...text.matchAll(/(?:^|(?<=\s))([\w.\-[\]]+)=/g)]
  const pairs = new Map<string, string>()
  keys.forEach((m, i) => {
    const start = m.index + m[0].length
    const end = i + 1 < keys.length ? (keys[i + 1]?.index ?? text.length) : text.length
    pairs.set(m[1] ?? '', unescapeValue(text.slice(start, end).trimEnd()))
  })
  return pairs
}

/** One CEF line (syslog header allowed); `where` names it in errors (`line 3`). */
export function parseCefLine(line: string, where: string): CefRecord {
  const start = cefStartIndex(line)
  if (start === undefined) {
    throw new ParseError('UnsupportedShape', `${where}: no "CEF:<version>|" header after an optional syslog header`, where)
  }
  const split = splitHeader(line.slice(start))
  if (!split) throw new ParseError('UnsupportedShape', `${where}: the CEF header needs 7 fields separated by "|"`, where)
  const [version = '', vendor = '', product = '', deviceVersion = '', signatureId = '', name = '', severity = ''] = split.fields
  return { version: version.slice(4), vendor, product, deviceVersion, signatureId, name, severity, extension: parseExtension(split.rest) }
}
