// REST reads of information assets (Art. 12–14): assets with label, flags and restrictions, an asset's
// history, what other agencies provided, and lifecycle steps that were refused.
// (The commands are published from the catalogue, src/http/commands.ts.)
import { z } from 'zod'
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod'
import { flagNames, InformationFlag, Medium, RestrictionCode } from '../domain/information/index.js'
import { NotFoundError } from '../domain/shared/errors.js'
import { LifecycleRuleCode, LifecycleStep } from '../domain/shared/lifecycle.js'
import { instant, localId } from '../domain/shared/values.js'
import { listBlocked, listReceived } from '../projections/information-flow-queries.js'
import { assetHistory, getAsset, listAssets, toAssetDto, toHistoryDto } from '../projections/information-queries.js'
import { principalOf, requireAuth } from './auth.js'
import { awaitPosition, Paging, page, MinPosition, readableAgencies, type ReadRoutesOptions } from './reads.js'

const Bool = z.enum(['true', 'false']).transform((v) => v === 'true')
const AgencyId = z.string().max(63).optional().describe('a body under your national organ (default: your agency and the bodies under it)')
const byJapaneseName = new Map(Object.entries(flagNames).map(([code, name]) => [name, code]))
const Flags = z.string().transform((s, c) => {
  const parsed = z.array(InformationFlag).safeParse(s.split(',').map((v) => v.trim()).filter(Boolean).map((v) => byJapaneseName.get(v) ?? v))
  if (parsed.success) return parsed.data
  c.addIssue({ code: 'custom', message: 'expected a comma-separated list of CONFIDENTIALITY_REQUIRED (要機密), INTEGRITY_REQUIRED (要保全), AVAILABILITY_REQUIRED (要安定), PROTECTION_REQUIRED (要保護)' })
  return z.NEVER
})
const AssetId = z.object({ id: z.uuid() })

export const informationReadRoutes: FastifyPluginAsyncZod<ReadRoutesOptions> = async (app, opts) => {
  const { pool, clock } = opts.services
  app.addHook('onRequest', requireAuth(pool, clock))
  /** The agencies to read after the read model reached the caller's position. */
  const agenciesOf = async (principal: ReturnType<typeof principalOf>, agencyId: string | undefined, minPosition: number | undefined, path: string) => {
    await awaitPosition(opts, 'information', principal.agencyId, minPosition)
    return readableAgencies(opts, principal, agencyId, path)
  }
  const findAsset = async (principal: ReturnType<typeof principalOf>, id: string, minPosition: number | undefined) => {
    const row = await getAsset(pool, await agenciesOf(principal, undefined, minPosition, 'path/id'), id)
    if (!row) throw new NotFoundError('AssetNotFound', `no information asset ${id} in the agencies you can see`)
    return row
  }

  app.get('/information/assets', {
    schema: {
      tags: ['information'], summary: 'Information assets you can see with their label, flags and restrictions, newest first (paged)',
      querystring: z.object({
        agencyId: AgencyId, ownerUnitId: localId.optional(), medium: Medium.optional(), minConfidentiality: z.coerce.number().int().min(1).max(3).optional(),
        flag: Flags.optional().describe('comma-separated flags that must all be set (codes or 要機密, 要保全, 要安定, 要保護)'),
        restriction: localId.optional().describe(`a restriction code the asset carries (${RestrictionCode.options.join(', ')}) or an agency's custom code`),
        deleted: Bool.optional(), minPosition: MinPosition, ...Paging,
      }),
    },
  }, async (request) => {
    const q = request.query
    const agencies = await agenciesOf(principalOf(request), q.agencyId, q.minPosition, 'querystring/agencyId')
    const result = await listAssets(pool, agencies, { ...q, flags: q.flag }, q.first, q.after)
    return page({ ...result, items: result.items.map(toAssetDto) })
  })

  app.get('/information/assets/:id', {
    schema: { tags: ['information'], summary: 'One information asset with its label, flags, restrictions and origin', params: AssetId, querystring: z.object({ minPosition: MinPosition }) },
  }, async (request) => toAssetDto(await findAsset(principalOf(request), request.params.id, request.query.minPosition)))

  app.get('/information/assets/:id/history', {
    schema: {
      tags: ['information'], summary: "An asset's history from the log, oldest first: who, when, what, and the exceptions that permitted a step (or the rules that refused it)",
      params: AssetId, querystring: z.object({ minPosition: MinPosition, ...Paging }),
    },
  }, async (request) => {
    const row = await findAsset(principalOf(request), request.params.id, request.query.minPosition)
    const history = await assetHistory(pool, row.agency_id, row.asset_id, request.query.first, request.query.after)
    return page({ ...history, items: history.items.map(toHistoryDto) })
  })

  app.get('/information/received', {
    schema: {
      tags: ['information'], summary: 'Information other agencies provided to yours, with the classes and restrictions that travelled with it (Art. 12 §2, 13 §3)',
      querystring: z.object({ agencyId: AgencyId, fromAgencyId: z.string().max(63).optional(), accepted: Bool.optional().describe('true: taken into your record'), minPosition: MinPosition, ...Paging }),
    },
  }, async (request) => {
    const q = request.query
    return page(await listReceived(pool, await agenciesOf(principalOf(request), q.agencyId, q.minPosition, 'querystring/agencyId'), q, q.first, q.after))
  })

  app.get('/information/blocked', {
    schema: {
      tags: ['information'], summary: 'Lifecycle steps refused by the rules (Art. 14) in a period, newest first',
      querystring: z.object({
        agencyId: AgencyId, rule: LifecycleRuleCode.optional(), step: LifecycleStep.optional(), unitId: localId.optional(),
        from: instant.optional().describe('blocked at or after (ISO-8601 with offset, years 1900–9999)'), to: instant.optional().describe('blocked before (ISO-8601 with offset, years 1900–9999)'),
        minPosition: MinPosition, ...Paging,
      }),
    },
  }, async (request) => {
    const q = request.query
    return page(await listBlocked(pool, await agenciesOf(principalOf(request), q.agencyId, q.minPosition, 'querystring/agencyId'), q, q.first, q.after))
  })
}
