// Every environment variable the service reads, validated once at start. Only main.ts and the CLIs pass process.env here.
import { z } from 'zod'

/** A whole number in decimal digits: an empty value, `0x50` or `1e3` is an error, not 0, 80 or 1000. */
const int = (min: number, max: number) =>
  z.string().trim().regex(/^\d+$/, `a whole number from ${min} to ${max}`).transform(Number).pipe(z.number().int().min(min).max(max))
const port = int(0, 65535)
const bool = z.enum(['true', 'false', '1', '0']).transform((v) => v === 'true' || v === '1')

export const configSchema = z.object({
  PORT: port.default(3000),
  HOST: z.string().min(1).default('127.0.0.1'),
  DATA_DIR: z.string().min(1).default('./data'),
  DATABASE_URL: z.url({ protocol: /^postgres(ql)?$/ }).optional(),
  /** Optional separate login for the running service (role cs_app's rights); migrations keep DATABASE_URL. */
  DATABASE_APP_URL: z.url({ protocol: /^postgres(ql)?$/ }).optional(),
  /** Port of the embedded PostgreSQL; 0 picks a free one (the admin CLI finds it in the data folder). */
  EMBEDDED_PG_PORT: port.default(0),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  /** Name shown for the national centre that incidents are notified to (renamed 2025-07-01, so it is data). */
  NATIONAL_CENTRE_NAME: z.string().min(1).default('国家サイバー統括室 (National Cybersecurity Office)'),
  /** Whether closing an incident requires the national centre to have been notified (agency practice varies). */
  INCIDENT_CLOSE_REQUIRES_NOTIFICATION: bool.default(true),
  /** How long a query that passes `minPosition` waits for the read model, in milliseconds. */
  READ_WAIT_MS: int(0, 60_000).default(5_000),
  PROJECTION_BATCH_SIZE: int(1, 50_000).default(10_000),
  PROJECTION_POLL_MS: int(10, 60_000).default(500),
  SCHEDULER_INTERVAL_MS: int(1_000, 3_600_000).default(60_000),
  GRAPHIQL: bool.optional(),
  /** Base64 of 32 bytes: the key integration secrets are sealed with; absent, DATA_DIR/secrets.key is created (0600). */
  SECRETS_KEY: z.union([z.literal('').transform(() => undefined), z.string().regex(/^[A-Za-z0-9+/]{43}=$/, 'base64 of 32 bytes')]).optional(),
  /** Ed25519 private key signing audit evidence (export manifests, digests): PKCS#8 PEM or base64 of PKCS#8 DER; absent, DATA_DIR/audit-signing-key.pem is created (0600). */
  AUDIT_SIGNING_KEY: z.union([z.literal('').transform(() => undefined), z.string().min(40, 'an Ed25519 PKCS#8 private key (PEM, or base64 of the DER)')]).optional(),
  /** How often the scheduler seals each agency's new events into a signed digest (Merkle root, chained), in milliseconds. */
  AUDIT_DIGEST_INTERVAL_MS: int(1_000, 604_800_000).default(3_600_000),
  /** Bearer token for /metrics (Prometheus); unset, /metrics answers 401 to everyone. */
  METRICS_TOKEN: z.union([z.literal('').transform(() => undefined), z.string().regex(/^[\x21-\x7e]{16,}$/, 'at least 16 printable characters, no spaces')]).optional(),
  /** Outbound webhooks to http: URLs and to loopback/private/link-local addresses (SSRF protection off): local development only. */
  WEBHOOK_ALLOW_INSECURE_URLS: bool.default(false),
  /** Fallback poll of the outbound webhook dispatcher (it is woken when the outbox queues deliveries). */
  WEBHOOK_DISPATCH_INTERVAL_MS: int(100, 600_000).default(1_000),
})

export type Config = z.infer<typeof configSchema>

/** Variables whose values may hold passwords: never echoed in an error. */
const SECRET_VARIABLES = new Set(['DATABASE_URL', 'DATABASE_APP_URL', 'SECRETS_KEY', 'AUDIT_SIGNING_KEY', 'METRICS_TOKEN'])

/** Parses the environment; on a wrong value throws one message naming each bad variable. */
export function loadConfig(env: Record<string, string | undefined>): Config {
  const result = configSchema.safeParse(env)
  if (result.success) return result.data
  const lines = result.error.issues.map((i) => {
    const name = String(i.path[0])
    const shown = SECRET_VARIABLES.has(name) ? '(value hidden)' : `(got ${JSON.stringify(env[name])})`
    return `  ${i.path.join('.')}: ${i.message} ${shown}`
  })
  throw new ConfigError(`Invalid configuration:\n${lines.join('\n')}`)
}

export class ConfigError extends Error {
  override name = 'ConfigError'
}
