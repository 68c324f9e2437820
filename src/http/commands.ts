// REST for every command in the catalogue: POST /api<path>, body and path parameters validated by the
// command's zod schemas (hence in OpenAPI), Idempotency-Key honoured, one answer shape.
import { z } from 'zod'
import type pg from 'pg'
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod'
import type { CommandSpec, Services } from '../application/command-runner.js'
import { principalOf, requireAuth } from './auth.js'
import { correlationIdOf } from './request-ids.js'

export const IdempotencyHeaders = z.object({
  'idempotency-key': z.string().regex(/^[\x21-\x7e]{1,255}$/, '1–255 visible ASCII characters').optional()
    .describe('Retries with the same key return the first result and append nothing'),
})
export const CommandResponse = z.object({
  id: z.string().describe('the record the command created or changed'),
  streamVersion: z.number().int(),
  position: z.number().int().describe('agency log position written; pass it as minPosition to read your write'),
  replayed: z.boolean().describe('true when this is a retry answered from an earlier identical request'),
})

export interface CommandRoutesOptions {
  services: Services
  commands: readonly CommandSpec[]
}

export const commandRoutes: FastifyPluginAsyncZod<CommandRoutesOptions> = async (app, opts) => {
  app.addHook('onRequest', requireAuth(opts.services.pool, opts.services.clock))
  for (const spec of opts.commands) {
    const status = spec.creates ? 201 : 200
    app.post(spec.path, {
      // A command whose fields are all optional may be posted without a body.
      preValidation: async (request) => {
        request.body ??= {}
      },
      schema: {
        tags: [spec.tag], summary: spec.summary, description: `Command ${spec.type}.`,
        params: spec.params, headers: IdempotencyHeaders, body: spec.input, response: { [status]: CommandResponse },
      },
    }, async (request, reply) => {
      const result = await spec.run(opts.services, principalOf(request), request.params, request.body, {
        correlationId: correlationIdOf(request), causationId: request.id, source: 'api', idempotencyKey: request.headers['idempotency-key'],
      })
      if (result.replayed) void reply.header('idempotent-replayed', 'true')
      return reply.status(status).send({ id: result.id, streamVersion: result.streamVersion, position: result.position, replayed: result.replayed })
    })
  }
}

/** For routes that only read: Pool type re-exported so read routes need not import pg themselves. */
export type { pg }
