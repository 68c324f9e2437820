// Integration secrets at rest: AES-256-GCM with a key that is never in the database (env SECRETS_KEY,
// else a 0600 key file in the data folder), so a database reader cannot use a stolen row.
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto'
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'

export interface Sealed { ciphertext: Buffer; iv: Buffer; tag: Buffer }

export interface SecretBox {
  seal(plain: string, aad: string): Sealed
  open(sealed: Sealed, aad: string): string
}

/** A box over a 32-byte key. `aad` binds a ciphertext to its row (agency, integration, secret id). */
export function secretBox(key: Buffer): SecretBox {
  if (key.length !== 32) throw new Error('the secrets key must be 32 bytes (base64 of 32 random bytes)')
  return {
    seal(plain, aad) {
      const iv = randomBytes(12)
      const cipher = createCipheriv('aes-256-gcm', key, iv).setAAD(Buffer.from(aad))
      const ciphertext = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()])
      return { ciphertext, iv, tag: cipher.getAuthTag() }
    },
    open(sealed, aad) {
      const decipher = createDecipheriv('aes-256-gcm', key, sealed.iv).setAAD(Buffer.from(aad)).setAuthTag(sealed.tag)
      return Buffer.concat([decipher.update(sealed.ciphertext), decipher.final()]).toString('utf8')
    },
  }
}

/** The key from `SECRETS_KEY` (base64), else from `<dataDir>/secrets.key`, created (mode 0600) on first use. */
export function loadSecretsKey(envKey: string | undefined, dataDir: string): Buffer {
  if (envKey !== undefined && envKey !== '') return Buffer.from(envKey, 'base64')
  const file = join(dataDir, 'secrets.key')
  mkdirSync(dataDir, { recursive: true })
  if (!existsSync(file)) writeFileSync(file, randomBytes(32).toString('base64'), { mode: 0o600, flag: 'wx' })
  return Buffer.from(readFileSync(file, 'utf8').trim(), 'base64')
}
