// Verifying a SIEM delivery against its integration's auth mode (shared/siem.md "Auth modes"): pure
// functions over the raw bytes, the headers and the integration's secrets, so every mode is tested
// without a server. Secrets and signatures are compared in constant time; signed deliveries outside the
// tolerance window are refused; several secrets may be valid at once (rotation without downtime).
import { createHmac, timingSafeEqual } from 'node:crypto'

export const authModes = ['standard-webhooks', 'grafana-hmac', 'bearer', 'basic', 'url-token'] as const
export type AuthMode = (typeof authModes)[number]

/** Seconds a signed delivery may be early or late (Standard Webhooks' tolerance). */
export const SIGNATURE_TOLERANCE_S = 300

export type AuthFailure =
  | 'MissingCredentials' // nothing to check: no header, no token
  | 'MalformedCredentials' // a header that cannot be read
  | 'StaleSignature' // signed outside the tolerance window
  | 'BadSignature' // no valid secret signs this body
  | 'BadCredentials' // a token or password that matches no secret

export type AuthOutcome = { ok: true; secretIndex: number } | { ok: false; reason: AuthFailure }

export interface Delivery {
  raw: Buffer
  /** Lower-case header names. */
  headers: Readonly<Record<string, string | undefined>>
  /** The token in the URL path (url-token mode). */
  urlToken?: string | undefined
  /** Receipt time, ms since the epoch (from the injected clock). */
  nowMs: number
}

/**
 * Equal in constant time whatever the lengths: both sides are hashed first, so neither the content nor
 * the length of a secret leaks through timing.
 */
export function constantTimeEqual(a: string | Buffer, b: string | Buffer): boolean {
  const digest = (v: string | Buffer) => createHmac('sha256', 'cs-record-compare').update(v).digest()
  return timingSafeEqual(digest(a), digest(b))
}

/** The first secret for which `matches` holds, checking every secret (no early exit). */
function firstMatch(secrets: readonly string[], matches: (secret: string) => boolean): number {
  let found = -1
  secrets.forEach((secret, i) => {
    if (matches(secret) && found < 0) found = i
  })
  return found
}

/** `whsec_<base64>` (Standard Webhooks) or a bare base64 key. */
function standardKey(secret: string): Buffer {
  return Buffer.from(secret.startsWith('whsec_') ? secret.slice('whsec_'.length) : secret, 'base64')
}

function standardWebhooks(d: Delivery, secrets: readonly string[]): AuthOutcome {
  const id = d.headers['webhook-id']
  const timestamp = d.headers['webhook-timestamp']
  const header = d.headers['webhook-signature']
  if (id === undefined || timestamp === undefined || header === undefined) return { ok: false, reason: 'MissingCredentials' }
  if (!/^\d{1,12}$/.test(timestamp) || id.length === 0 || id.length > 256) return { ok: false, reason: 'MalformedCredentials' }
  if (Math.abs(d.nowMs / 1000 - Number(timestamp)) > SIGNATURE_TOLERANCE_S) return { ok: false, reason: 'StaleSignature' }
  // Several space-separated "v1,<base64>" entries: the sender signs with every key it holds.
  const offered = header.split(' ').filter((s) => s.startsWith('v1,')).map((s) => s.slice(3))
  if (offered.length === 0) return { ok: false, reason: 'MalformedCredentials' }
  const signed = Buffer.concat([Buffer.from(`${id}.${timestamp}.`), d.raw])
  const index = firstMatch(secrets, (secret) => {
    const expected = createHmac('sha256', standardKey(secret)).update(signed).digest('base64')
    return offered.map((o) => constantTimeEqual(o, expected)).includes(true)
  })
  return index >= 0 ? { ok: true, secretIndex: index } : { ok: false, reason: 'BadSignature' }
}

/** Grafana 11.6+: hex HMAC-SHA256 of the body, or of `timestamp:body` when it sends a timestamp header. */
function grafanaHmac(d: Delivery, secrets: readonly string[]): AuthOutcome {
  const signature = d.headers['x-grafana-alerting-signature']
  if (signature === undefined) return { ok: false, reason: 'MissingCredentials' }
  if (!/^[0-9a-fA-F]{64}$/.test(signature)) return { ok: false, reason: 'MalformedCredentials' }
  const timestamp = d.headers['x-grafana-alerting-signature-timestamp']
  if (timestamp !== undefined) {
    if (!/^\d{1,12}$/.test(timestamp)) return { ok: false, reason: 'MalformedCredentials' }
    if (Math.abs(d.nowMs / 1000 - Number(timestamp)) > SIGNATURE_TOLERANCE_S) return { ok: false, reason: 'StaleSignature' }
  }
  const signed = timestamp === undefined ? d.raw : Buffer.concat([Buffer.from(`${timestamp}:`), d.raw])
  const index = firstMatch(secrets, (secret) => constantTimeEqual(signature.toLowerCase(), createHmac('sha256', secret).update(signed).digest('hex')))
  return index >= 0 ? { ok: true, secretIndex: index } : { ok: false, reason: 'BadSignature' }
}

function bearer(d: Delivery, secrets: readonly string[]): AuthOutcome {
  const header = d.headers.authorization
  if (header === undefined) return { ok: false, reason: 'MissingCredentials' }
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header)
  if (!match?.[1]) return { ok: false, reason: 'MalformedCredentials' }
  const token = match[1]
  const index = firstMatch(secrets, (secret) => constantTimeEqual(token, secret))
  return index >= 0 ? { ok: true, secretIndex: index } : { ok: false, reason: 'BadCredentials' }
}

/** Basic auth: the secret is `user:password`. */
function basic(d: Delivery, secrets: readonly string[]): AuthOutcome {
  const header = d.headers.authorization
  if (header === undefined) return { ok: false, reason: 'MissingCredentials' }
  const match = /^Basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(header)
  if (!match?.[1]) return { ok: false, reason: 'MalformedCredentials' }
  const pair = Buffer.from(match[1], 'base64').toString('utf8')
  if (!pair.includes(':')) return { ok: false, reason: 'MalformedCredentials' }
  const index = firstMatch(secrets, (secret) => constantTimeEqual(pair, secret))
  return index >= 0 ? { ok: true, secretIndex: index } : { ok: false, reason: 'BadCredentials' }
}

function urlToken(d: Delivery, secrets: readonly string[]): AuthOutcome {
  if (d.urlToken === undefined || d.urlToken === '') return { ok: false, reason: 'MissingCredentials' }
  const token = d.urlToken
  const index = firstMatch(secrets, (secret) => constantTimeEqual(token, secret))
  return index >= 0 ? { ok: true, secretIndex: index } : { ok: false, reason: 'BadCredentials' }
}

/** Whether the delivery carries valid credentials for one of `secrets` (the integration's live secrets). */
export function verifyDelivery(mode: AuthMode, secrets: readonly string[], delivery: Delivery): AuthOutcome {
  if (secrets.length === 0) return { ok: false, reason: 'BadCredentials' }
  switch (mode) {
    case 'standard-webhooks': return standardWebhooks(delivery, secrets)
    case 'grafana-hmac': return grafanaHmac(delivery, secrets)
    case 'bearer': return bearer(delivery, secrets)
    case 'basic': return basic(delivery, secrets)
    case 'url-token': return urlToken(delivery, secrets)
  }
}

/** What a sender computes for Standard Webhooks (our outbound deliveries and our tests). */
export function standardWebhookSignature(secret: string, id: string, timestampS: number, raw: Buffer): string {
  return `v1,${createHmac('sha256', standardKey(secret)).update(Buffer.concat([Buffer.from(`${id}.${timestampS}.`), raw])).digest('base64')}`
}
