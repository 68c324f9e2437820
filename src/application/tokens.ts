// Bearer tokens: random secrets shown once, stored as SHA-256, mapped to a principal.
import { createHash, randomBytes, randomUUID } from 'node:crypto'
import type pg from 'pg'
import { Role } from '../domain/shared/roles.js'
import { NotFoundError } from '../domain/shared/errors.js'
import type { Principal } from './context.js'

const PREFIX = 'csr_'

export const hashToken = (token: string) => createHash('sha256').update(token, 'utf8').digest()

export interface IssuedToken {
  token: string
  tokenId: string
  agencyId: string
  actorId: string
  roles: Role[]
}

export async function issueToken(pool: pg.Pool, input: { agencyId: string; actorId: string; roles: Role[] }): Promise<IssuedToken> {
  // The agency's own log exists from its registration on (the read model may still lag behind).
  const exists = await pool.query('SELECT 1 FROM agency_heads WHERE agency_id = $1', [input.agencyId])
  if (exists.rowCount === 0) throw new NotFoundError('AgencyNotFound', `agency ${input.agencyId} is not registered; create it with: npm run admin -- agency create`)
  // The agency is part of the token, so the lookup key leads with agency_id (architecture.md).
  const token = `${PREFIX}${input.agencyId}.${randomBytes(32).toString('base64url')}`
  const tokenId = randomUUID()
  await pool.query(
    'INSERT INTO access_tokens (agency_id, token_id, token_hash, actor_id, roles) VALUES ($1, $2, $3, $4, $5)',
    [input.agencyId, tokenId, hashToken(token), input.actorId, input.roles],
  )
  return { token, tokenId, ...input }
}

/** The principal behind a bearer token, or undefined for an unknown or revoked one. */
export async function authenticate(pool: pg.Pool, token: string): Promise<Principal | undefined> {
  if (!token.startsWith(PREFIX) || token.length > 200) return undefined
  const dot = token.indexOf('.')
  if (dot < 0) return undefined
  const agencyId = token.slice(PREFIX.length, dot)
  const { rows } = await pool.query<{ agency_id: string; token_id: string; actor_id: string; roles: string[] }>(
    'SELECT agency_id, token_id, actor_id, roles FROM access_tokens WHERE agency_id = $1 AND token_hash = $2 AND revoked_at IS NULL',
    [agencyId, hashToken(token)],
  )
  const row = rows[0]
  if (!row) return undefined
  return { agencyId: row.agency_id, actorId: row.actor_id, tokenId: row.token_id, roles: row.roles.filter((r): r is Role => Role.safeParse(r).success) }
}

/** Revokes a token by id (within its agency); true when a live token was revoked. */
export async function revokeToken(pool: pg.Pool, agencyId: string, tokenId: string): Promise<boolean> {
  const { rowCount } = await pool.query('UPDATE access_tokens SET revoked_at = now() WHERE agency_id = $1 AND token_id = $2 AND revoked_at IS NULL', [agencyId, tokenId])
  return rowCount === 1
}

export async function listTokens(pool: pg.Pool, agencyId: string) {
  const { rows } = await pool.query<{ token_id: string; actor_id: string; roles: string[]; created_at: Date; revoked_at: Date | null }>(
    'SELECT token_id, actor_id, roles, created_at, revoked_at FROM access_tokens WHERE agency_id = $1 ORDER BY created_at', [agencyId])
  return rows.map((r) => ({ tokenId: r.token_id, actorId: r.actor_id, roles: r.roles, createdAt: r.created_at.toISOString(), revokedAt: r.revoked_at?.toISOString() ?? null }))
}
