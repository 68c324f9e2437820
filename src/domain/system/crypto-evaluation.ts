// Pure: a system's cryptographic policy checked against an edition of the CRYPTREC list (Art. 20). Every
// algorithm that is not on the e-Government Recommended Ciphers List (or is, with too short a key) is
// flagged with the reason. Derived at read time, never stored: a corrected list changes every answer.
//
// Names are matched without case, spaces or separators ("sha-256" = "SHA256"), and usual composites are
// split into their parts: "AES-256-GCM" is AES with a 256-bit key in GCM mode, "HMAC-SHA-256" is HMAC
// over SHA-256, "ECDSA P-256" is ECDSA on a 256-bit curve, "RSA 1024" is RSA with a 1024-bit modulus.
import type { CryptoCategory, CryptrecEdition, CryptrecEntry, CryptrecListName } from '../shared/cryptrec.js'
import type { CryptoAlgorithmInput } from './measure-inputs.js'

export const cryptoShortfallReasons = ['NOT_ON_LIST', 'MONITORED_ONLY', 'CANDIDATE_ONLY', 'KEY_TOO_SHORT'] as const
export type CryptoShortfallReason = (typeof cryptoShortfallReasons)[number]

export interface CryptoComponent {
  /** As written in the policy. */
  text: string
  /** The list entry it was recognised as (absent: not on the list). */
  name?: string | undefined
  category?: CryptoCategory | undefined
  list?: CryptrecListName | undefined
  keyLength?: number | undefined
}
export interface CryptoShortfall { reason: CryptoShortfallReason; component: string; message: string; keyLength?: number | undefined; minKeyLength?: number | undefined }
export interface AlgorithmEvaluation {
  use: string; algorithm: string; keyLength?: number | undefined
  components: CryptoComponent[]
  /** On the e-Government Recommended Ciphers List with a long enough key, every part of it. */
  recommended: boolean
  shortfalls: CryptoShortfall[]
}
export interface CryptoEvaluation { edition: string; algorithms: AlgorithmEvaluation[]; fallsShort: boolean; shortfallCount: number }

const norm = (s: string) => s.toUpperCase().replace(/[^A-Z0-9]/g, '')
/** Named curves, as key lengths in bits. */
const curveBits: Readonly<Record<string, number>> = {
  P256: 256, SECP256R1: 256, PRIME256V1: 256, P384: 384, SECP384R1: 384, P521: 521, SECP521R1: 521,
  ED25519: 255, CURVE25519: 255, ED448: 448, CURVE448: 448, BRAINPOOLP256R1: 256, BRAINPOOLP384R1: 384, BRAINPOOLP512R1: 512,
}
/** Words of cipher-suite names that name no algorithm. */
const filler = new Set(['WITH', 'AND', 'TLS', 'SSL', 'USING', 'BIT', 'BITS', 'KEY', 'MODE'])

const indexes = new WeakMap<CryptrecEdition, Map<string, CryptrecEntry>>()
function indexOf(list: CryptrecEdition): Map<string, CryptrecEntry> {
  let index = indexes.get(list)
  if (!index) {
    index = new Map(list.entries.flatMap((e) => [e.name, ...(e.aliases ?? [])].map((n) => [norm(n), e] as const)))
    indexes.set(list, index)
  }
  return index
}

const recognised = (text: string, e: CryptrecEntry, keyLength?: number): CryptoComponent =>
  ({ text, name: e.name, category: e.category, list: e.list, keyLength: keyLength ?? curveBits[norm(text)] })

/** The longest run of tokens from `i` (at most four) that names a list entry or a curve. */
function longestMatch(tokens: readonly string[], i: number, index: Map<string, CryptrecEntry>) {
  for (let len = Math.min(4, tokens.length - i); len >= 1; len--) {
    const text = tokens.slice(i, i + len).join('-')
    const entry = index.get(norm(text))
    const curve = curveBits[norm(text)]
    if (entry || curve !== undefined) return { len, text, entry, curve }
  }
  return undefined
}

/** The parts of an algorithm name, longest match first; numbers and curves become the key length of the part before. */
export function componentsOf(algorithm: string, list: CryptrecEdition): CryptoComponent[] {
  const index = indexOf(list)
  const whole = index.get(norm(algorithm))
  if (whole) return [recognised(algorithm, whole)]
  const tokens = algorithm.split(/[\s\-_/+,()]+/).filter(Boolean)
  const parts: CryptoComponent[] = []
  let pendingKey: number | undefined
  const setKey = (bits: number) => {
    const last = parts.at(-1)
    if (last?.name !== undefined && last.keyLength === undefined) last.keyLength = bits
    else pendingKey = bits
  }
  for (let i = 0; i < tokens.length;) {
    const m = longestMatch(tokens, i, index)
    if (m?.entry) {
      parts.push(recognised(m.text, m.entry, pendingKey))
      pendingKey = undefined
    } else if (m?.curve !== undefined) {
      setKey(m.curve)
    } else {
      const token = tokens[i] ?? ''
      const glued = /^([A-Z]+)(\d{2,5})$/.exec(norm(token))
      const gluedEntry = glued ? index.get(glued[1] ?? '') : undefined
      if (/^\d{2,5}$/.test(token)) setKey(Number(token))
      else if (gluedEntry) parts.push(recognised(token, gluedEntry, Number(glued?.[2])))
      else if (!filler.has(norm(token))) parts.push({ text: token })
    }
    i += m?.len ?? 1
  }
  return parts.length > 0 ? parts : [{ text: algorithm }]
}

function shortfallOf(c: CryptoComponent, list: CryptrecEdition, minKeyLength: number | undefined): CryptoShortfall | undefined {
  const edition = list.id
  if (c.name === undefined) return { reason: 'NOT_ON_LIST', component: c.text, message: `${c.text} is not on the ${edition} list` }
  if (c.list === 'MONITORED') return { reason: 'MONITORED_ONLY', component: c.text, message: `${c.name} is on the Monitored Ciphers List only (kept for compatibility, not for new use)` }
  if (c.list === 'CANDIDATE_RECOMMENDED') return { reason: 'CANDIDATE_ONLY', component: c.text, message: `${c.name} is on the Candidate Recommended Ciphers List, not the e-Government Recommended one` }
  if (minKeyLength !== undefined && c.keyLength !== undefined && c.keyLength < minKeyLength) {
    return { reason: 'KEY_TOO_SHORT', component: c.text, message: `${c.name} with a ${c.keyLength}-bit key is below the ${minKeyLength} bits required`, keyLength: c.keyLength, minKeyLength }
  }
  return undefined
}

export function evaluateAlgorithm(a: CryptoAlgorithmInput, list: CryptrecEdition): AlgorithmEvaluation {
  const components = componentsOf(a.algorithm, list)
  const minOf = (c: CryptoComponent) => list.entries.find((e) => e.name === c.name)?.minKeyLength
  // A key length given beside the name belongs to the first part that has one and names none itself.
  const keyed = a.keyLength === undefined ? undefined : components.find((c) => minOf(c) !== undefined && c.keyLength === undefined)
  if (keyed) keyed.keyLength = a.keyLength
  const shortfalls = components.map((c) => shortfallOf(c, list, minOf(c))).filter((s) => s !== undefined)
  return { use: a.use, algorithm: a.algorithm, keyLength: a.keyLength, components, recommended: shortfalls.length === 0, shortfalls }
}

export function evaluateCryptoPolicy(policy: { algorithms: readonly CryptoAlgorithmInput[] }, list: CryptrecEdition): CryptoEvaluation {
  const algorithms = policy.algorithms.map((a) => evaluateAlgorithm(a, list))
  const shortfallCount = algorithms.reduce((n, a) => n + a.shortfalls.length, 0)
  return { edition: list.id, algorithms, fallsShort: shortfallCount > 0, shortfallCount }
}
