// Bearer tokens: random secrets shown once, stored as SHA-256, mapped to a principal.
import { createHash, randomBytes, randomUUID } from 'node:crypto'
import type pg from 'pg'
import { Role } from '../domain/shared/roles.js'
import { DomainError, NotFoundError } from '../domain/shared/errors.js'
import { systemClock, type Clock, type Principal } from './context.js'
import type { HeldRole } from '../domain/shared/decider.js'
import { tokyoDate } from '../domain/shared/fiscal-year.js'

const PREFIX = 'csr_'

export const hashToken = (token: string) => createHash('sha256').update(token, 'utf8').digest()

export interface IssuedToken {
  token: string
  tokenId: string
  agencyId: string
  actorId: string
  /** The token's limit, if any; the roles it acts with are the actor's assigned roles within it. */
  roles: Role[] | null
}

/**
 * A token identifies an actor of an agency; what it may do comes from the actor's role assignments.
 * `roles`, when given, limits the token to those of the actor's roles (least privilege for a script).
 */
export async function issueToken(pool: pg.Pool, input: { agencyId: string; actorId: string; roles?: Role[] | undefined }): Promise<IssuedToken> {
  // The agency's own log exists from its registration on (the read model may still lag behind).
  const exists = await pool.query('SELECT 1 FROM agency_heads WHERE agency_id = $1', [input.agencyId])
  if (exists.rowCount === 0) throw new NotFoundError('AgencyNotFound', `agency ${input.agencyId} is not registered; create it with: npm run admin -- agency create`)
  // A token acts for an employee: registered in this agency's log (read from the log, so never stale).
  const employee = await pool.query("SELECT 1 FROM events WHERE agency_id = $1 AND stream_id = 'employee-' || $2 AND event_type = 'EmployeeRegistered'", [input.agencyId, input.actorId])
  if (employee.rowCount === 0) {
    throw new DomainError('UnknownEmployee', `${input.actorId} is not an employee of ${input.agencyId}; register them first: npm run admin -- employee add`, { employeeId: input.actorId })
  }
  // The agency is part of the token, so the lookup key leads with agency_id (architecture.md).
  const token = `${PREFIX}${input.agencyId}.${randomBytes(32).toString('base64url')}`
  const tokenId = randomUUID()
  await pool.query(
    'INSERT INTO access_tokens (agency_id, token_id, token_hash, actor_id, roles) VALUES ($1, $2, $3, $4, $5)',
    [input.agencyId, tokenId, hashToken(token), input.actorId, input.roles ?? null],
  )
  return { token, tokenId, agencyId: input.agencyId, actorId: input.actorId, roles: input.roles ?? null }
}

/**
 * The roles an actor holds on a day (Art. 5), only while they are an employee that day (joined, not
 * departed): their current role assignments, the roles delegated to them by a current employee who holds
 * them that day, and EMPLOYEE.
 */
const EMPLOYED = (who: string) => `EXISTS (SELECT 1 FROM employees e WHERE e.agency_id = t.agency_id AND e.employee_id = ${who}
  AND e.joined_on <= $3::date AND (e.departed_on IS NULL OR e.departed_on >= $3::date))`
const HELD_ROLES = `
  SELECT a.role, a.scope FROM role_assignments a
   WHERE a.agency_id = t.agency_id AND a.employee_id = t.actor_id AND a.valid_from <= $3::date AND (a.valid_to IS NULL OR a.valid_to >= $3::date)
  UNION
  SELECT d.role, a.scope FROM delegations d JOIN role_assignments a
      ON a.agency_id = d.agency_id AND a.employee_id = d.delegator_id AND a.role = d.role
     AND a.valid_from <= $3::date AND (a.valid_to IS NULL OR a.valid_to >= $3::date)
   WHERE d.agency_id = t.agency_id AND d.delegate_id = t.actor_id AND d.valid_from <= $3::date AND d.valid_to >= $3::date
     AND ${EMPLOYED('d.delegator_id')}
  UNION
  SELECT 'EMPLOYEE', '{"kind":"AGENCY"}'::jsonb`

/**
 * The principal behind a bearer token (with the roles held today), or undefined for an unknown or revoked
 * token, or when its actor is not an employee of the agency on the day.
 */
export async function authenticate(pool: pg.Pool, token: string, clock: Clock = systemClock): Promise<Principal | undefined> {
  if (!token.startsWith(PREFIX) || token.length > 200) return undefined
  const dot = token.indexOf('.')
  if (dot < 0) return undefined
  const agencyId = token.slice(PREFIX.length, dot)
  const { rows } = await pool.query<{ agency_id: string; token_id: string; actor_id: string; roles: string[] | null; employed: boolean; held: HeldRole[] }>(
    `SELECT t.agency_id, t.token_id, t.actor_id, t.roles, ${EMPLOYED('t.actor_id')} AS employed,
            ARRAY(SELECT jsonb_build_object('role', h.role, 'scope', h.scope) FROM (${HELD_ROLES}) h WHERE ${EMPLOYED('t.actor_id')}
                  ORDER BY h.role, h.scope::text) AS held
       FROM access_tokens t WHERE t.agency_id = $1 AND t.token_hash = $2 AND t.revoked_at IS NULL`,
    [agencyId, hashToken(token), tokyoDate(clock.now().toISOString())],
  )
  const row = rows[0]
  // Someone who is not an employee that day (left, or not yet joined) is not let in at all.
  if (!row || !row.employed) return undefined
  const limit = row.roles
  const assignments = row.held.filter((h) => Role.safeParse(h.role).success && (limit === null || limit.includes(h.role)))
  const roles = [...new Set(assignments.map((h) => h.role))]
  return { agencyId: row.agency_id, actorId: row.actor_id, tokenId: row.token_id, roles, assignments }
}

/** Revokes a token by id (within its agency); true when a live token was revoked. */
export async function revokeToken(pool: pg.Pool, agencyId: string, tokenId: string): Promise<boolean> {
  const { rowCount } = await pool.query('UPDATE access_tokens SET revoked_at = now() WHERE agency_id = $1 AND token_id = $2 AND revoked_at IS NULL', [agencyId, tokenId])
  return rowCount === 1
}

export async function listTokens(pool: pg.Pool, agencyId: string) {
  const { rows } = await pool.query<{ token_id: string; actor_id: string; roles: string[] | null; created_at: Date; revoked_at: Date | null }>(
    'SELECT token_id, actor_id, roles, created_at, revoked_at FROM access_tokens WHERE agency_id = $1 ORDER BY created_at', [agencyId])
  return rows.map((r) => ({ tokenId: r.token_id, actorId: r.actor_id, roles: r.roles, createdAt: r.created_at.toISOString(), revokedAt: r.revoked_at?.toISOString() ?? null }))
}
