// REST reads of the tamper evidence: the public keys that signed digests and export manifests (any
// authenticated caller: saved to a file, the body is what `npm run admin -- verify --keys <file>` reads), and an
// agency's signed digests for auditors (the audit-trail readers of the agency or of its national organ; saved
// pages are what `verify database --digests <file>` reads).
import { z } from 'zod'
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod'
import type { Services } from '../application/command-runner.js'
import { listDigests } from '../audit-trail/digests.js'
import { ensureKeyRegistered, listKeys } from '../audit-trail/keys.js'
import { requireAuditReader } from '../audit-trail/reader.js'
import type { Signer } from '../audit-trail/signing.js'
import { principalOf, requireAuth } from './auth.js'
import { Paging, readableAgency } from './reads.js'

export interface AuditEvidenceRoutesOptions {
  services: Services
  signer: Signer
}

const tags = ['audit trail']

const hex = z.string().regex(/^[0-9a-f]{64}$/)
const KeysResponse = z.object({
  keys: z.array(z.object({ keyId: z.string(), algorithm: z.literal('Ed25519'), publicKeyPem: z.string(), firstUsedAt: z.string() })),
  current: z.string().describe('the key id the service signs with now'),
})
const DigestDto = z.object({
  version: z.literal(1), agencyId: z.string(), seq: z.number().int(), firstPosition: z.number().int(), lastPosition: z.number().int(),
  eventCount: z.number().int(), firstEventHash: hex, lastEventHash: hex, merkleRoot: hex, previousDigestHash: hex, createdAt: z.string(), keyId: z.string(),
  digestHash: hex.describe('SHA-256 of the canonical JSON (RFC 8785) of the fields above'),
  signature: z.string().describe('Ed25519 over the same bytes, base64'),
})

export const auditEvidenceRoutes: FastifyPluginAsyncZod<AuditEvidenceRoutesOptions> = async (app, opts) => {
  const { pool, clock } = opts.services
  app.addHook('onRequest', requireAuth(pool, clock))

  app.get('/audit-trail/keys', {
    schema: { tags, summary: 'The public keys (Ed25519, SPKI PEM) that have signed digests and export manifests, and the one in use; save the body for `npm run admin -- verify --keys`', response: { 200: KeysResponse } },
  }, async () => {
    await ensureKeyRegistered(pool, opts.signer)
    return { keys: await listKeys(pool), current: opts.signer.keyId }
  })

  app.get('/audit-trail/digests', {
    schema: {
      tags, summary: "An agency's signed digests in seq order: each seals a range of its log positions with the Merkle root (RFC 6962 shape) of their event hashes and chains to the previous digest",
      description: 'Save every page (bodies appended one after another in one file, or the items as one JSON array) away from the database: `npm run admin -- verify database --digests <file>` then reports any of them that the database no longer holds unchanged.',
      querystring: z.object({
        agencyId: z.string().max(63).optional().describe('a body under your national organ (default: your agency)'),
        first: Paging.first, after: z.coerce.number().int().min(0).optional().describe('the seq of the last digest of the previous page'),
      }),
      response: { 200: z.object({ items: z.array(DigestDto), pageInfo: z.object({ hasNextPage: z.boolean(), endCursor: z.string().nullable() }) }) },
    },
  }, async (request) => {
    const principal = principalOf(request)
    requireAuditReader(principal)
    const agencyId = await readableAgency(opts, principal, request.query.agencyId, 'querystring/agencyId')
    const page = await listDigests(pool, agencyId, request.query.first, request.query.after)
    return { items: page.items, pageInfo: { hasNextPage: page.hasNextPage, endCursor: page.items.at(-1)?.seq.toString() ?? null } }
  })
}
