// GraphQL at /graphql (mercurius, schema-first from schema.graphql): bearer authentication,
// query limits, the error catalogue, and `incidentChanged` over graphql-transport-ws.
import { existsSync, readFileSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { correlationIdOf } from '../http/request-ids.js'
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { GraphQLError, specifiedRules, validate } from 'graphql'
import mercurius from 'mercurius'
import type pg from 'pg'
import type { IncidentService } from '../application/incidents.js'
import type { Clock } from '../application/context.js'
import { authenticate } from '../application/tokens.js'
import { bearerToken } from '../http/auth.js'
import type { ReadWaiter } from '../http/incidents.js'
import type { ProjectionRunner } from '../projections/runner.js'
import type { GraphqlContext } from './context.js'
import { formatErrors } from './errors.js'
import { IncidentFeed, incidentTopic } from './incident-feed.js'
import { costLimitRule, defaultLimits, depthLimitRule } from './limits.js'
import { completePageInfo } from './connection.js'
import { mutationResolvers } from './mutations.js'
import { commandMutations } from './commands.js'
import { organisationResolvers } from './organisation.js'
import { planResolvers } from './plans.js'
import { policyResolvers } from './policy.js'
import { assuranceResolvers } from './assurance.js'
import { exceptionResolvers } from './exceptions.js'
import { informationResolvers } from './information.js'
import { integrationResolvers } from './integrations.js'
import type { SecretBox } from '../application/secret-box.js'
import { webhookSubscriptionResolvers } from './webhook-subscriptions.js'
import type { UrlPolicy } from '../domain/webhook-subscription/index.js'
import { supplierResolvers } from './suppliers.js'
import { systemResolvers } from './systems.js'
import { complianceResolvers } from './compliance.js'
import { auditTrailResolvers } from './audit-trail.js'
// (each capability's resolvers are imported above this line)
import type { CommandSpec, Services } from '../application/command-runner.js'
import { queryResolvers } from './queries.js'
import { CalendarDate, DateTime, Json } from './scalars.js'
import { complianceTopic, subscriptionResolvers } from './subscriptions.js'
import { ReadModelFeed } from './read-model-feed.js'
import { COMPLIANCE } from '../projections/compliance.js'
import { complianceChangesSince, complianceHighWater, feedPosition, type ComplianceChangeDto } from '../projections/compliance-queries.js'

export interface GraphqlOptions {
  pool: pg.Pool
  services: Services
  /** Every command beyond incidents: one mutation each. */
  commands: readonly CommandSpec[]
  incidents: IncidentService
  reads: ReadWaiter
  /** How long a query with minPosition waits for the read model (ms). */
  readWaitMs: number
  /** Serve GraphiQL at /graphiql. */
  graphiql: boolean
  /** Tells the subscription feed when the 'incidents' projection moved. */
  runner: Pick<ProjectionRunner, 'onApplied'>
  /** Seals SIEM integration secrets (createIntegration, rotateIntegrationSecret). */
  box?: SecretBox
  /** Where outbound webhook subscriptions may point (WEBHOOK_ALLOW_INSECURE_URLS); default: https and public addresses only. */
  webhookUrlPolicy?: UrlPolicy
}

const GRAPHQL_PATH = '/graphql'

/** schema.graphql at the repository root: found by walking up, so it works from src/ and from dist/src/. */
export function findSchemaFile(from = path.dirname(fileURLToPath(import.meta.url))): string {
  for (let dir = from; ; dir = path.dirname(dir)) {
    const candidate = path.join(dir, 'schema.graphql')
    if (existsSync(candidate)) return candidate
    if (path.dirname(dir) === dir) throw new Error(`schema.graphql not found in ${from} or any folder above it`)
  }
}

export async function registerGraphql(app: FastifyInstance, opts: GraphqlOptions): Promise<void> {
  // Encapsulated: the hooks below guard the GraphQL routes only.
  await app.register(async (scope) => {
    // 1. Authentication of HTTP requests (WebSockets authenticate in connection_init).
    installAuthentication(scope, opts.pool, opts.services.clock)

    // 2. The subscription feed, stopped with the app.
    const feed = new IncidentFeed({
      pool: opts.pool,
      runner: opts.runner,
      log: scope.log,
      publish: (agencyId, incident) => scope.graphql.pubsub.publish({ topic: incidentTopic(agencyId), payload: { incidentChanged: incident } }),
    })
    scope.addHook('onClose', () => feed.close())
    const complianceFeed = new ReadModelFeed<ComplianceChangeDto>({
      pool: opts.pool, runner: opts.runner, log: scope.log, projection: COMPLIANCE, highWater: complianceHighWater,
      changesSince: async (pool, seen) => (await complianceChangesSince(pool, seen)).map((c) => ({ agencyId: c.agencyId, position: feedPosition(c), item: c })),
      publish: (agencyId, change) => scope.graphql.pubsub.publish({ topic: complianceTopic(agencyId), payload: { complianceStatusChanged: change } }),
    })
    scope.addHook('onClose', () => complianceFeed.close())

    // 3. Mercurius. Depth and cost are our validation rules (mercurius' `queryDepth` would also count
    //    introspection, which GraphiQL nests 15 deep); cost reads the variables, hence no query cache.
    const schema = readFileSync(findSchemaFile(), 'utf8')
    const resolvers = merge(
      queryResolvers(opts), mutationResolvers(opts.incidents), subscriptionResolvers({ pool: opts.pool, feed, complianceFeed }),
      commandMutations(opts.services, opts.commands),
      organisationResolvers(opts),
      planResolvers(opts),
      policyResolvers(opts),
      assuranceResolvers(opts),
      exceptionResolvers(opts),
      informationResolvers(opts),
      integrationResolvers(opts),
      webhookSubscriptionResolvers(opts),
      supplierResolvers(opts),
      systemResolvers(opts),
      complianceResolvers(opts),
      auditTrailResolvers(opts),
      // (each capability's resolvers are merged above this line)
    )
    completePageInfo(schema, resolvers)
    await scope.register(mercurius, {
      schema,
      resolvers: { DateTime, Date: CalendarDate, JSON: Json, ...resolvers },
      path: GRAPHQL_PATH,
      graphiql: opts.graphiql,
      cache: false,
      validationRules: ({ variables }) => [depthLimitRule(defaultLimits), costLimitRule(defaultLimits, variables ?? {})],
      errorFormatter: formatErrors,
      context: (request): Partial<GraphqlContext> => ({ principal: request.principal, correlationId: correlationIdOf(request), causationId: request.id }),
      subscription: {
        onConnect: async ({ payload }) => {
          const token = connectionToken(payload)
          const principal = token ? await authenticate(opts.pool, token, opts.services.clock) : undefined
          return principal && token ? { principal, connectionToken: token } : false
        },
      },
    })

    // 4. Mercurius runs no validation on subscriptions at all: run the spec rules and our limits here.
    scope.graphql.addHook('preSubscriptionExecution', (schema, document) => {
      const errors = validate(schema, document, [...specifiedRules, depthLimitRule(defaultLimits), costLimitRule(defaultLimits)])
      if (errors.length === 0) return
      throw new GraphQLError(errors.map((e) => e.message).join('; '), {
        extensions: { code: 'ValidationFailed', errors: errors.map((e) => ({ path: 'query', message: e.message })) },
      })
    })
  })
}

/**
 * Bearer tokens on /graphql, answered 401 before the body is read. A WebSocket handshake passes
 * (browsers cannot set its headers; connection_init carries the token); a request that only claimed
 * to be one is stopped in preHandler, where @fastify/websocket has said whether it really was.
 */
function installAuthentication(scope: FastifyInstance, pool: pg.Pool, clock: Clock): void {
  scope.addHook('onRequest', async (request, reply) => {
    if (request.routeOptions.url !== GRAPHQL_PATH || request.headers.upgrade !== undefined) return
    const token = bearerToken(request.headers.authorization)
    const principal = token ? await authenticate(pool, token, clock) : undefined
    if (!principal) return unauthorized(reply, token ? 'the bearer token is unknown or revoked, or its holder is not an employee of the agency today' : 'send Authorization: Bearer <token>')
    request.principal = principal
  })
  scope.addHook('preHandler', async (request, reply) => {
    if (request.routeOptions.url !== GRAPHQL_PATH || request.principal || isWebSocket(request)) return
    return unauthorized(reply, 'send Authorization: Bearer <token>')
  })
}

function unauthorized(reply: FastifyReply, message: string): FastifyReply {
  return reply.code(401).header('www-authenticate', 'Bearer').type('application/json; charset=utf-8')
    .send({ data: null, errors: [{ message, extensions: { code: 'Unauthorized' } }] })
}

/** Set by @fastify/websocket (inside mercurius) once the handshake really is an upgrade. */
const isWebSocket = (request: FastifyRequest) => 'ws' in request && request.ws === true

/** connection_init payload: `{ authorization: 'Bearer …' }`, `{ headers: { authorization } }` or `{ token }`. */
function connectionToken(payload: unknown): string | undefined {
  if (typeof payload !== 'object' || payload === null) return undefined
  const p = payload as { token?: unknown; authorization?: unknown; Authorization?: unknown; headers?: { authorization?: unknown } }
  if (typeof p.token === 'string') return p.token
  const header = p.authorization ?? p.Authorization ?? p.headers?.authorization
  return typeof header === 'string' ? bearerToken(header) : undefined
}

/** Resolver maps of the parts, merged per type name. */
function merge(...parts: Record<string, object>[]): Record<string, Record<string, unknown>> {
  const merged: Record<string, Record<string, unknown>> = {}
  for (const part of parts) for (const [type, fields] of Object.entries(part)) merged[type] = { ...merged[type], ...fields }
  return merged
}
