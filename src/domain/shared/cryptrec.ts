// The CRYPTREC Ciphers List (電子政府における調達のために参照すべき暗号のリスト) as versioned data: the list
// agencies check the algorithms of their systems against (Art. 20; Common Standards 6: cryptography and
// signatures). An edition is data, never code: when CRYPTREC publishes a revision, add a new edition here
// beside the old one (policies name the edition they were checked against) after checking every entry
// against the official list, and move `currentCryptrecEdition`.
//
// Confidence tags as in domain.md: [C] confirmed in a public source (cryptrec.go.jp/en/list.html: the list
// consists of the e-Government Recommended, Candidate Recommended and Monitored Ciphers Lists; last update
// 2022-03-30, CRYPTREC LS-0001-2012R7; a key length that does not conform to CRYPTREC's key-length
// standard of June 2022 does not count as using a recommended cipher); [R] recalled, not yet confirmed
// against the official PDF.

export const cryptoCategories = [
  'SIGNATURE', 'CONFIDENTIALITY', 'KEY_EXCHANGE', 'BLOCK_CIPHER', 'STREAM_CIPHER', 'HASH', 'MODE', 'AUTHENTICATED_ENCRYPTION', 'MAC', 'ENTITY_AUTHENTICATION',
] as const
export type CryptoCategory = (typeof cryptoCategories)[number]

export const cryptrecLists = ['E_GOVERNMENT_RECOMMENDED', 'CANDIDATE_RECOMMENDED', 'MONITORED'] as const
export type CryptrecListName = (typeof cryptrecLists)[number]

export interface CryptrecEntry {
  name: string
  category: CryptoCategory
  list: CryptrecListName
  /** The shortest key (modulus, curve, block-cipher key) in bits that still counts as recommended. */
  minKeyLength?: number
  /** Other spellings users write (matched without case, spaces or separators). */
  aliases?: readonly string[]
  confidence: 'C' | 'R'
}

export interface CryptrecEdition {
  id: string
  title: string
  /** The list's document number and date. */
  document: string
  publishedOn: string
  note: string
  entries: readonly CryptrecEntry[]
}

const e = (category: CryptoCategory, names: readonly (string | [string, Partial<CryptrecEntry>])[], list: CryptrecListName = 'E_GOVERNMENT_RECOMMENDED'): CryptrecEntry[] =>
  names.map((n) => (typeof n === 'string' ? { name: n, category, list, confidence: 'R' } : { name: n[0], category, list, confidence: 'R', ...n[1] }))

// Key lengths [R]: RSA, DSA and DH at least 2048 bits, elliptic curves at least 256 bits (EdDSA's
// Ed25519 and ECDH over Curve25519 use a 255-bit curve at the same security level, so 255 counts for
// both), block-cipher keys at least 128.
const RSA = 2048
const EC = 256

const cryptrec2022: CryptrecEntry[] = [
  // e-Government Recommended Ciphers List [R] (EdDSA, SHA-512/256, SHA-3, SHAKE and XTS are later additions [R]).
  ...e('SIGNATURE', [['DSA', { minKeyLength: RSA }], ['ECDSA', { minKeyLength: EC }], ['EdDSA', { minKeyLength: 255, aliases: ['Ed25519', 'Ed448'] }],
    ['RSA-PSS', { minKeyLength: RSA, aliases: ['RSASSA-PSS'] }],
    // A bare "RSA" in a policy (a certificate key) is read as the PKCS#1 v1.5 signature: same list and key length as RSA-PSS.
    ['RSASSA-PKCS1-v1_5', { minKeyLength: RSA, aliases: ['RSA', 'RSASSA-PKCS1', 'PKCS1-v1_5'] }]]),
  ...e('CONFIDENTIALITY', [['RSA-OAEP', { minKeyLength: RSA, aliases: ['RSAES-OAEP'] }]]),
  ...e('KEY_EXCHANGE', [['DH', { minKeyLength: RSA, aliases: ['DHE', 'Diffie-Hellman'] }], ['ECDH', { minKeyLength: 255, aliases: ['ECDHE'] }]]),
  ...e('BLOCK_CIPHER', [['AES', { minKeyLength: 128 }], ['Camellia', { minKeyLength: 128 }]]),
  ...e('STREAM_CIPHER', ['KCipher-2']),
  ...e('HASH', ['SHA-256', 'SHA-384', 'SHA-512', 'SHA-512/256', 'SHA3-256', 'SHA3-384', 'SHA3-512', 'SHAKE128', 'SHAKE256']),
  ...e('MODE', ['CBC', 'CFB', 'CTR', 'OFB', 'XTS']),
  ...e('AUTHENTICATED_ENCRYPTION', ['CCM', 'GCM']),
  ...e('MAC', ['CMAC', 'HMAC']),
  ...e('ENTITY_AUTHENTICATION', ['ISO/IEC 9798-2', 'ISO/IEC 9798-3']),
  // Candidate Recommended Ciphers List [R]: secure, not (yet) used widely enough for e-Government.
  ...e('KEY_EXCHANGE', ['PSEC-KEM'], 'CANDIDATE_RECOMMENDED'),
  ...e('BLOCK_CIPHER', ['CIPHERUNICORN-E', 'Hierocrypt-L1', 'MISTY1', 'CIPHERUNICORN-A', 'CLEFIA', 'Hierocrypt-3', 'SC2000'], 'CANDIDATE_RECOMMENDED'),
  ...e('STREAM_CIPHER', ['Enocoro-128v2', 'MUGI', 'MULTI-S01'], 'CANDIDATE_RECOMMENDED'),
  ...e('MAC', ['PC-MAC-AES'], 'CANDIDATE_RECOMMENDED'),
  ...e('ENTITY_AUTHENTICATION', ['ISO/IEC 9798-4'], 'CANDIDATE_RECOMMENDED'),
  // Monitored Ciphers List [R]: kept only for compatibility with existing systems, not for new use.
  ...e('CONFIDENTIALITY', [['RSAES-PKCS1-v1_5', { aliases: ['RSAES-PKCS1'] }]], 'MONITORED'),
  ...e('BLOCK_CIPHER', [['3-key Triple DES', { aliases: ['3DES', 'Triple DES', 'TDEA', 'DES-EDE3', 'TripleDES'] }]], 'MONITORED'),
  ...e('STREAM_CIPHER', [['128-bit RC4', { aliases: ['RC4', 'ARCFOUR'] }]], 'MONITORED'),
  ...e('HASH', [['SHA-1', { aliases: ['SHA1'] }]], 'MONITORED'),
  ...e('MAC', ['CBC-MAC'], 'MONITORED'),
  // Not listed, so flagged as NOT_ON_LIST when used: MD5, DES, RC2, ChaCha20-Poly1305 (whether a later
  // revision lists ChaCha20-Poly1305 is unconfirmed [R]), X25519 (only the ECDH of the list is recognised).
]

export const cryptrecEditions: Readonly<Record<string, CryptrecEdition>> = {
  'CRYPTREC-2022': {
    id: 'CRYPTREC-2022',
    title: 'CRYPTREC Ciphers List (e-Government Recommended, Candidate Recommended and Monitored Ciphers Lists)',
    document: 'CRYPTREC LS-0001-2012R7',
    publishedOn: '2022-03-30',
    note: 'Entries are recalled [R] unless tagged [C]; check them against the official list (cryptrec.go.jp) and add a new edition when CRYPTREC revises it.',
    entries: cryptrec2022,
  },
}

/** The edition named `id`, if the service knows it (own keys only: `constructor` or `__proto__` name no edition). */
export const cryptrecEdition = (id: string): CryptrecEdition | undefined => (Object.hasOwn(cryptrecEditions, id) ? cryptrecEditions[id] : undefined)

/** The edition a policy is checked against when it names none. */
export const currentCryptrecEdition = 'CRYPTREC-2022'
