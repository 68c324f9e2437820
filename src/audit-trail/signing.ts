// The service's Ed25519 signing key for audit evidence (export manifests, digests). The private key never
// enters the database: env AUDIT_SIGNING_KEY (PKCS#8 PEM, or base64 of PKCS#8 DER; in production from a
// secret store), else a 0600 file DATA_DIR/audit-signing-key.pem made on first start. The public half is
// published (GET /api/audit-trail/keys) and recorded in signing_keys, so a verifier can check what an earlier
// key signed after a rotation.
// Key id: "ed25519:" + the first 16 hex digits of SHA-256 over the public key's SPKI DER.
import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, randomBytes, sign, verify, type KeyObject } from 'node:crypto'
import { existsSync, linkSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'

export interface Signer {
  readonly keyId: string
  /** The public key as SPKI PEM (what the keys endpoint publishes). */
  readonly publicKeyPem: string
  /** Ed25519 signature of the bytes, base64. */
  sign(data: Buffer | string): string
}

export interface PublicKeyEntry {
  keyId: string
  algorithm: 'Ed25519'
  publicKeyPem: string
}

export function keyIdOf(publicKey: KeyObject): string {
  const der = publicKey.export({ type: 'spki', format: 'der' })
  return `ed25519:${createHash('sha256').update(der).digest('hex').slice(0, 16)}`
}

/** A signer over an Ed25519 private key (PEM, or base64 of PKCS#8 DER). */
export function signerFromPrivateKey(material: string): Signer {
  const text = material.trim()
  const privateKey = text.startsWith('-----BEGIN')
    ? createPrivateKey(text)
    : createPrivateKey({ key: Buffer.from(text, 'base64'), format: 'der', type: 'pkcs8' })
  if (privateKey.asymmetricKeyType !== 'ed25519') throw new Error(`the audit signing key must be Ed25519, not ${privateKey.asymmetricKeyType ?? 'unknown'}`)
  const publicKey = createPublicKey(privateKey)
  const publicKeyPem = publicKey.export({ type: 'spki', format: 'pem' }).toString()
  return {
    keyId: keyIdOf(publicKey),
    publicKeyPem,
    sign: (data) => sign(null, typeof data === 'string' ? Buffer.from(data, 'utf8') : data, privateKey).toString('base64'),
  }
}

/** A fresh key (tests, first start). */
export function generateSigner(): Signer {
  const { privateKey } = generateKeyPairSync('ed25519')
  return signerFromPrivateKey(privateKey.export({ type: 'pkcs8', format: 'pem' }).toString())
}

/**
 * The env key if set, else DATA_DIR/audit-signing-key.pem, created 0600 on first use. Two instances starting at
 * once make one key between them: each writes a key of its own to a temporary file and links it to the name,
 * which only the first link gets; the other reads that one. A key file that group or others may read is refused.
 */
export function loadSigningKey(envKey: string | undefined, dataDir: string): Signer {
  if (envKey !== undefined && envKey !== '') return signerFromPrivateKey(envKey)
  const file = join(dataDir, 'audit-signing-key.pem')
  mkdirSync(dataDir, { recursive: true })
  if (!existsSync(file)) {
    const { privateKey } = generateKeyPairSync('ed25519')
    const temp = `${file}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`
    writeFileSync(temp, privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(), { mode: 0o600, flag: 'wx' })
    try {
      linkSync(temp, file) // whole or not at all: no instance ever reads a half-written key
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err
    } finally {
      rmSync(temp, { force: true })
    }
  }
  if (process.platform !== 'win32') {
    const mode = statSync(file).mode & 0o777
    if ((mode & 0o077) !== 0) {
      throw new Error(`the audit signing key file ${file} may be read by group or others (mode ${mode.toString(8).padStart(4, '0')}): run chmod 600 ${file}, or set AUDIT_SIGNING_KEY`)
    }
  }
  return signerFromPrivateKey(readFileSync(file, 'utf8'))
}

/** Checks a base64 Ed25519 signature against a PEM public key; false (never a throw) on a malformed key or signature. */
export function verifySignature(publicKeyPem: string, data: Buffer | string, signatureB64: string): boolean {
  try {
    const key = createPublicKey(publicKeyPem)
    if (key.asymmetricKeyType !== 'ed25519') return false
    return verify(null, typeof data === 'string' ? Buffer.from(data, 'utf8') : data, key, Buffer.from(signatureB64, 'base64'))
  } catch {
    return false
  }
}

/** The key id a PEM public key has, or undefined if it is not an Ed25519 public key. */
export function keyIdOfPem(publicKeyPem: string): string | undefined {
  try {
    const key = createPublicKey(publicKeyPem)
    return key.asymmetricKeyType === 'ed25519' ? keyIdOf(key) : undefined
  } catch {
    return undefined
  }
}
