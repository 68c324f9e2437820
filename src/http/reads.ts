// What read routes share: the services, read-your-writes waiting, and the visibility rule.
import { z } from 'zod'
import { ReadModelBehindError, ValidationError } from '../application/errors.js'
import type { Services } from '../application/command-runner.js'
import type { Principal } from '../application/context.js'
import { visibleAgencies } from '../projections/agencies.js'
import type { ReadWaiter } from './incidents.js'
import type { Page } from '../projections/incident-queries.js'

export interface ReadRoutesOptions {
  services: Services
  reads: ReadWaiter
  /** How long a query with minPosition waits for the read model (ms). */
  readWaitMs: number
}

export const MinPosition = z.coerce.number().int().min(0).optional()
  .describe('wait (bounded) until the read model has applied your agency log up to this position')

/**
 * Read-your-writes: wait until the projection(s) a query reads have applied the caller's agency log up
 * to `position`. Name every projection whose tables the query joins.
 */
export async function awaitPosition(opts: ReadRoutesOptions, projection: string | readonly string[], agencyId: string, position: number | null | undefined): Promise<void> {
  if (position == null || position === 0) return
  const names = typeof projection === 'string' ? [projection] : projection
  const reached = await Promise.all(names.map((name) => opts.reads.waitFor(name, agencyId, position, opts.readWaitMs)))
  if (reached.includes(false)) throw new ReadModelBehindError(position)
}

/** The agencies the caller may read, narrowed to `agencyId` when given (which must be one of them). */
export async function readableAgencies(opts: Pick<ReadRoutesOptions, 'services'>, principal: Principal, agencyId: string | null | undefined, path: string): Promise<string[]> {
  const visible = await visibleAgencies(opts.services.pool, principal.agencyId)
  if (agencyId == null) return visible
  if (!visible.includes(agencyId)) throw new ValidationError(`agency ${agencyId} is not visible to you`, [{ path, message: 'not visible to you' }])
  return [agencyId]
}

/** The one agency a read is about: the caller's own unless they name one they may read. */
export async function readableAgency(opts: Pick<ReadRoutesOptions, 'services'>, principal: Principal, agencyId: string | null | undefined, path: string): Promise<string> {
  return (await readableAgencies(opts, principal, agencyId ?? principal.agencyId, path))[0] ?? principal.agencyId
}

/** `first` and `after` of every paged list. */
export const Paging = { first: z.coerce.number().int().min(1).max(200).default(50), after: z.string().max(500).optional() }

/** "a,b,c" in a query string → a validated list. */
export const csv = <T extends z.ZodType>(item: T, label: string) => z.string().transform((s, c) => {
  const parsed = z.array(item).safeParse(s.split(',').map((v) => v.trim()).filter(Boolean))
  if (parsed.success) return parsed.data
  c.addIssue({ code: 'custom', message: `expected a comma-separated list of ${label}` })
  return z.NEVER
})

/** `true` / `false` in a query string. */
export const bool = z.enum(['true', 'false']).transform((v) => v === 'true')

/** A page of a read model as REST answers it. */
export const page = <T>(p: Page<T>) => ({ items: p.items, pageInfo: { hasNextPage: p.hasNextPage, endCursor: p.cursors.at(-1) ?? null } })
