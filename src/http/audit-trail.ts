// REST reads of the audit trail, straight from the event log (always current, no read model): a page of
// entries, the streamed export (JSON Lines, CSV, OCSF) and its signed manifest once the export has ended.
// For the CISO, deputy CISO, audit officer, auditors and the general security officer; a national organ's
// holders of those roles also read the bodies under it (agencyId).
import { z } from 'zod'
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod'
import { NotFoundError } from '../domain/shared/errors.js'
import { entityTypes } from '../audit-trail/entities.js'
import { findManifest, startExport } from '../audit-trail/export.js'
import { exportFormats, toAuditEntry } from '../audit-trail/formats.js'
import { auditSources, auditTrailPage, EventTypeName, normaliseFilter, requireAuditReader, type AuditFilterFields } from '../audit-trail/reader.js'
import type { Signer } from '../audit-trail/signing.js'
import { visibleAgencies } from '../projections/agencies.js'
import { principalOf, requireAuth } from './auth.js'
import { csv, Paging, readableAgency, type ReadRoutesOptions } from './reads.js'

export interface AuditTrailRoutesOptions extends ReadRoutesOptions {
  signer: Signer
}

const tags = ['audit trail']
const PositionParam = z.coerce.number().int().min(1).max(Number.MAX_SAFE_INTEGER)
const Filter = {
  agencyId: z.string().max(63).optional().describe('a body under your national organ (default: your agency); positions are per agency'),
  entityType: z.enum(entityTypes).optional().describe('the history of one entity (with entityId; POLICY, USAGE_RULES, AGENCY and MANAGEMENT need none)'),
  entityId: z.string().min(1).max(200).optional().describe('the record id (a fiscal year for PLAN, TRAINING, SELF_CHECK)'),
  streamId: z.string().min(1).max(300).optional().describe('one stream of the log, e.g. incident-INC-1'),
  eventTypes: csv(EventTypeName, 'event type names such as IncidentReported').refine((a) => a.length <= 50, 'at most 50 event types').optional(),
  actorId: z.string().min(1).max(200).optional(),
  source: z.enum(auditSources).optional(),
  from: z.iso.datetime({ offset: true }).optional().describe('recorded at or after this instant'),
  to: z.iso.datetime({ offset: true }).optional().describe('recorded before this instant'),
  fromPosition: PositionParam.optional(),
  toPosition: PositionParam.optional(),
}
type FilterQuery = z.output<z.ZodObject<typeof Filter>>

export const auditTrailRoutes: FastifyPluginAsyncZod<AuditTrailRoutesOptions> = async (app, opts) => {
  const { pool, clock } = opts.services
  app.addHook('onRequest', requireAuth(pool, clock))
  const filterOf = async (request: Parameters<typeof principalOf>[0], query: FilterQuery) => {
    const principal = principalOf(request)
    requireAuditReader(principal)
    const { agencyId, ...fields } = query
    const agency = await readableAgency(opts, principal, agencyId, 'querystring/agencyId')
    return { principal, filter: normaliseFilter(agency, fields satisfies AuditFilterFields, 'querystring') }
  }

  app.get('/audit-trail', {
    schema: {
      tags, summary: 'The audit trail of one agency in position order: who, what, when, from where and why of every event, filtered (an entity\'s history, event types, actor, source, time, positions). A filter other than one stream walks the agency\'s positions: a page may then hold fewer than `first` entries; follow endCursor while hasNextPage',
      querystring: z.object({ ...Filter, ...Paging }),
    },
  }, async (request) => {
    const { first, after, ...query } = request.query
    const { filter } = await filterOf(request, query)
    const page = await auditTrailPage(pool, filter, first, after)
    return { items: page.items.map(toAuditEntry), pageInfo: { hasNextPage: page.hasNextPage, endCursor: page.endCursor } }
  })

  app.get('/audit-trail/export', {
    schema: {
      tags, summary: 'The audit trail streamed as a file (jsonl: every field, canonical JSON; csv: RFC 4180 with a BOM; ocsf: API Activity 6003 / Entity Management 3004), up to the head at the start. Audit-Export-Id names it; its signed manifest (Link rel=describedby) is stored when the last byte has been sent',
      querystring: z.object({ ...Filter, format: z.enum(exportFormats).default('jsonl') }),
    },
  }, async (request, reply) => {
    const { format, ...query } = request.query
    const { principal, filter } = await filterOf(request, query)
    const started = await startExport({ pool, signer: opts.signer }, { filter, format, createdBy: principal.actorId, now: clock.now() })
    started.manifest.catch((err: unknown) => request.log.warn({ err, exportId: started.exportId }, 'audit-trail export ended without a manifest'))
    return reply
      .header('content-type', started.contentType)
      .header('content-disposition', `attachment; filename="${started.filename}"`)
      .header('cache-control', 'no-store')
      .header('audit-export-id', started.exportId)
      .header('link', `</api/audit-trail/exports/${started.exportId}/manifest>; rel="describedby"`)
      .send(started.body)
  })

  app.get('/audit-trail/exports/:exportId/manifest', {
    schema: {
      tags, summary: 'The signed manifest of a finished export (404 ExportManifestNotFound until its last byte has been sent): filters, covered positions, count, first and last event, SHA-256 and length of the content, Ed25519 signature and key id (GET /api/audit-trail/keys)',
      params: z.object({ exportId: z.uuid() }),
    },
  }, async (request) => {
    const principal = principalOf(request)
    requireAuditReader(principal)
    const manifest = await findManifest(pool, await visibleAgencies(pool, principal.agencyId), request.params.exportId)
    if (!manifest) throw new NotFoundError('ExportManifestNotFound', `no finished export ${request.params.exportId} of an agency you may read (the manifest is stored when the export's last byte has been sent)`)
    return manifest
  })
}
