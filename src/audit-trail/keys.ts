// The public-key registry: every key that has signed audit evidence is recorded in signing_keys (append-only)
// and published at GET /api/audit-trail/keys. A verifier reads that response saved to a file (readKeysFile).
import { readFileSync } from 'node:fs'
import type pg from 'pg'
import { z } from 'zod'
import { keyIdOfPem, type PublicKeyEntry, type Signer } from './signing.js'

export interface PublishedKey extends PublicKeyEntry {
  /** When the service first recorded the key (ISO-8601). */
  firstUsedAt: string
}

/** The body of GET /api/audit-trail/keys. */
export interface KeysResponse {
  keys: PublishedKey[]
  /** The key id the service signs with now. */
  current: string
}

const registered = new WeakMap<pg.Pool, Set<string>>()

/**
 * Records the signer's public key (insert, or nothing if known). Called at start and before anything is
 * signed, so that no signature exists whose key is not published; one query per pool and key.
 */
export async function ensureKeyRegistered(pool: pg.Pool, signer: Pick<Signer, 'keyId' | 'publicKeyPem'>): Promise<void> {
  const known = registered.get(pool) ?? new Set<string>()
  if (known.has(signer.keyId)) return
  await pool.query(
    `INSERT INTO signing_keys (key_id, algorithm, public_key_pem) VALUES ($1, 'Ed25519', $2) ON CONFLICT (key_id) DO NOTHING`,
    [signer.keyId, signer.publicKeyPem],
  )
  known.add(signer.keyId)
  registered.set(pool, known)
}

/** Every recorded key, oldest first. */
export async function listKeys(pool: pg.Pool): Promise<PublishedKey[]> {
  const { rows } = await pool.query<{ key_id: string; public_key_pem: string; first_used_at: Date }>(
    'SELECT key_id, public_key_pem, first_used_at FROM signing_keys ORDER BY first_used_at, key_id',
  )
  return rows.map((r) => ({ keyId: r.key_id, algorithm: 'Ed25519', publicKeyPem: r.public_key_pem, firstUsedAt: r.first_used_at.toISOString() }))
}

/** A keys file that cannot be used; the message says what is wrong with it. */
export class KeysFileError extends Error {
  override name = 'KeysFileError'
}

const Entry = z.object({ keyId: z.string().min(1), algorithm: z.literal('Ed25519'), publicKeyPem: z.string().min(1) })
const KeysBody = z.union([z.object({ keys: z.array(Entry).min(1) }), z.array(Entry).min(1), Entry])
const PEM_BLOCK = /-----BEGIN PUBLIC KEY-----[\s\S]+?-----END PUBLIC KEY-----/g

/**
 * The public keys in a file: the body of GET /api/audit-trail/keys as saved (`{keys: [...], current}`), an
 * array of entries, one entry, or PEM (one or more `BEGIN PUBLIC KEY` blocks). Each key id must be the one
 * its PEM gives (`ed25519:` + SHA-256 of the SPKI DER, 16 hex digits), so a mislabelled key is refused.
 */
export function readKeysFile(path: string): PublicKeyEntry[] {
  let text: string
  try {
    text = readFileSync(path, 'utf8')
  } catch (err) {
    throw new KeysFileError(`cannot read the keys file ${path}: ${(err as NodeJS.ErrnoException).code ?? String(err)}`)
  }
  return parseKeys(text, path)
}

/** readKeysFile's parsing, for text at hand. */
export function parseKeys(text: string, source = 'the keys'): PublicKeyEntry[] {
  const trimmed = text.replace(/^\uFEFF/, '').trim()
  if (trimmed.startsWith('-----BEGIN')) {
    const blocks = trimmed.match(PEM_BLOCK) ?? []
    if (blocks.length === 0) throw new KeysFileError(`${source}: PEM without a "BEGIN PUBLIC KEY" block (give the public key, never the private one)`)
    return blocks.map((pem, i) => {
      const keyId = keyIdOfPem(pem)
      if (keyId === undefined) throw new KeysFileError(`${source}: PEM block ${i + 1} is not an Ed25519 public key`)
      return { keyId, algorithm: 'Ed25519', publicKeyPem: `${pem}\n` }
    })
  }
  let json: unknown
  try {
    json = JSON.parse(trimmed)
  } catch {
    throw new KeysFileError(`${source}: neither JSON (the body of GET /api/audit-trail/keys) nor a PEM public key`)
  }
  const parsed = KeysBody.safeParse(json)
  if (!parsed.success) throw new KeysFileError(`${source}: expected the body of GET /api/audit-trail/keys ({"keys": [{"keyId", "algorithm": "Ed25519", "publicKeyPem"}]})`)
  const body = parsed.data
  const entries = Array.isArray(body) ? body : 'keys' in body ? body.keys : [body]
  return entries.map((e) => {
    const actual = keyIdOfPem(e.publicKeyPem)
    if (actual === undefined) throw new KeysFileError(`${source}: the key ${e.keyId} is not an Ed25519 public key in PEM`)
    if (actual !== e.keyId) throw new KeysFileError(`${source}: the key labelled ${e.keyId} is ${actual} (its id does not match its PEM)`)
    return { keyId: e.keyId, algorithm: 'Ed25519', publicKeyPem: e.publicKeyPem }
  })
}

/** Keys by id, each id recomputed from its PEM (a row or entry claiming another key's id is ignored). */
export function keysById(keys: readonly PublicKeyEntry[]): Map<string, string> {
  const byId = new Map<string, string>()
  for (const k of keys) {
    if (keyIdOfPem(k.publicKeyPem) === k.keyId) byId.set(k.keyId, k.publicKeyPem)
  }
  return byId
}
