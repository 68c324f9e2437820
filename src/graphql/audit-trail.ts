// The audit trail over GraphQL: the same filter, reader and visibility rule as REST (src/http/audit-trail.ts),
// as a Relay connection. Exports are REST only (a streamed file is not a GraphQL value).
import { z } from 'zod'
import { entityTypes } from '../audit-trail/entities.js'
import { toAuditEntry } from '../audit-trail/formats.js'
import { AuditFilterFields, auditTrailPage, normaliseFilter, requireAuditReader } from '../audit-trail/reader.js'
import { readableAgency } from '../http/reads.js'
import { principalOf, type GraphqlContext } from './context.js'
import { parseOrFail } from './errors.js'
import type { GraphqlOptions } from './plugin.js'
import { withoutNulls } from './scalars.js'

const Args = z.object({
  first: z.number().int().min(1).max(200).default(50),
  after: z.string().max(500).optional(),
  filter: AuditFilterFields.omit({ entityType: true, entityId: true }).extend({
    agencyId: z.string().max(63).optional(),
    entity: z.object({ type: z.enum([...entityTypes, 'OTHER']), id: z.string().min(1).max(200).optional() }).optional(),
  }),
})

export function auditTrailResolvers(opts: GraphqlOptions) {
  const { pool } = opts.services
  return {
    Query: {
      auditTrail: async (_root: unknown, raw: unknown, ctx: GraphqlContext) => {
        const { first, after, filter: { agencyId, entity, ...fields } } = parseOrFail(Args, withoutNulls(raw), 'arguments')
        const principal = principalOf(ctx)
        requireAuditReader(principal)
        const agency = await readableAgency(opts, principal, agencyId, 'arguments.filter.agencyId')
        const filter = normaliseFilter(agency, { ...fields, entityType: entity?.type, entityId: entity?.id }, 'arguments.filter', { entityType: 'entity.type', entityId: 'entity.id' })
        const page = await auditTrailPage(pool, filter, first, after)
        return {
          edges: page.items.map((e, i) => ({ cursor: page.cursors[i], node: toAuditEntry(e) })),
          pageInfo: { hasNextPage: page.hasNextPage, endCursor: page.endCursor },
        }
      },
    },
  }
}
