// SIEM integrations over GraphQL: creating and rotating answer the secret once (own mutations, like the
// REST routes); reads never show a secret. Retire and disable come from the command catalogue.
import { z } from 'zod'
import { createIntegration, IntegrationId, rotateIntegrationSecret, type SecretAnswer } from '../application/integrations.js'
import { CreateIntegrationInput, integrationSeverities } from '../domain/integration/index.js'
import { awaitPosition, readableAgencies } from '../http/reads.js'
import { getIntegration, listAlerts, listIntegrations, type AlertView, type IntegrationView } from '../projections/integration-queries.js'
import { commandMutations } from './commands.js'
import { connection } from './connection.js'
import { principalOf, type GraphqlContext } from './context.js'
import { parseOrFail } from './errors.js'
import type { GraphqlOptions } from './plugin.js'
import { withoutNulls } from './scalars.js'

/** Schema enums are UPPER_SNAKE; the domain's values are lower-kebab. */
const fromEnum = (v: unknown) => (typeof v === 'string' ? v.toLowerCase().replaceAll('_', '-') : v)
const toEnum = (v: string | null) => (v === null ? null : v.toUpperCase().replaceAll('-', '_'))
const enumIn = (schema: z.ZodType) => z.preprocess(fromEnum, schema)
const MinPosition = z.number().int().min(0).optional()
const CreateArgs = z.object({
  input: z.object({ ...CreateIntegrationInput.shape, format: enumIn(CreateIntegrationInput.shape.format), authMode: enumIn(CreateIntegrationInput.shape.authMode), defaultSeverity: enumIn(CreateIntegrationInput.shape.defaultSeverity), severityThreshold: enumIn(CreateIntegrationInput.shape.severityThreshold) }),
  idempotencyKey: z.string().regex(/^[\x21-\x7e]{1,255}$/).optional(),
})
const RotateArgs = z.object({ integrationId: IntegrationId, idempotencyKey: z.string().regex(/^[\x21-\x7e]{1,255}$/).optional() })
const ListArgs = z.object({ agencyId: z.string().max(63).optional(), minPosition: MinPosition })
const OneArgs = z.object({ id: z.string().max(200), minPosition: MinPosition })
const AlertArgs = z.object({
  first: z.number().int().min(1).max(200).default(50), after: z.string().max(500).optional(), minPosition: MinPosition,
  filter: z.object({
    agencyId: z.string().max(63).optional(), integrationId: z.string().max(200).optional(), severity: z.array(enumIn(z.enum(integrationSeverities))).optional(), resolved: z.boolean().optional(),
    externalId: z.string().max(500).optional(), incidentId: z.string().max(100).optional(),
  }).default({}),
})
const IncidentAlertArgs = z.object({ first: z.number().int().min(1).max(200).default(50), after: z.string().max(500).optional() })

/** Mutations outside the command catalogue: their answer carries a secret (shown once). */
export const integrationSecretMutations = ['createIntegration', 'rotateIntegrationSecret'] as const

export function integrationResolvers(opts: GraphqlOptions) {
  const s = opts.services
  const reads = { services: s, reads: opts.reads, readWaitMs: opts.readWaitMs }
  const parse = <S extends z.ZodType>(schema: S, args: unknown) => parseOrFail(schema, withoutNulls(args), 'arguments')
  const box = () => {
    if (!opts.box) throw new Error('no secrets key configured')
    return opts.box
  }
  const ctxOf = (idempotencyKey: string | undefined) => ({ correlationId: crypto.randomUUID(), source: 'graphql', idempotencyKey })
  const answer = (a: SecretAnswer) => ({ ...a, webhookPath: `/webhooks/${a.id}` })
  const agencies = async (ctx: GraphqlContext, minPosition: number | undefined, agencyId: string | undefined) => {
    const principal = principalOf(ctx)
    await awaitPosition(reads, 'integrations', principal.agencyId, minPosition)
    return readableAgencies(reads, principal, agencyId, 'arguments.agencyId')
  }
  return {
    Query: {
      integrations: async (_r: unknown, raw: unknown, ctx: GraphqlContext) => {
        const a = parse(ListArgs, raw)
        return listIntegrations(s.pool, await agencies(ctx, a.minPosition, a.agencyId))
      },
      integration: async (_r: unknown, raw: unknown, ctx: GraphqlContext) => {
        const a = parse(OneArgs, raw)
        return (await getIntegration(s.pool, await agencies(ctx, a.minPosition, undefined), a.id)) ?? null
      },
      alerts: async (_r: unknown, raw: unknown, ctx: GraphqlContext) => {
        const { filter: { agencyId, ...filter }, first, after, minPosition } = parse(AlertArgs, raw)
        return connection(await listAlerts(s.pool, await agencies(ctx, minPosition, agencyId), filter as never, first, after))
      },
    },
    Mutation: {
      // The catalogue's mutation, with the schema's UPPER_CASE severities turned into the domain's spelling first.
      changeIntegrationPolicy: async (root: unknown, raw: Record<string, unknown>, ctx: GraphqlContext) => {
        const input = { ...(raw.input as Record<string, unknown> | undefined) }
        for (const k of ['defaultSeverity', 'severityThreshold']) if (input[k] != null) input[k] = fromEnum(input[k])
        const run = commandMutations(s, opts.commands.filter((c) => c.mutation === 'changeIntegrationPolicy')).Mutation.changeIntegrationPolicy
        if (!run) throw new Error('changeIntegrationPolicy is missing from the command catalogue')
        return run(root, { ...raw, input }, ctx)
      },
      createIntegration: async (_r: unknown, raw: unknown, ctx: GraphqlContext) => {
        const a = parse(CreateArgs, raw)
        return answer(await createIntegration(s, box(), principalOf(ctx), a.input as z.output<typeof CreateIntegrationInput>, ctxOf(a.idempotencyKey)))
      },
      rotateIntegrationSecret: async (_r: unknown, raw: unknown, ctx: GraphqlContext) => {
        const a = parse(RotateArgs, raw)
        return answer(await rotateIntegrationSecret(s, box(), principalOf(ctx), a.integrationId, ctxOf(a.idempotencyKey)))
      },
    },
    Integration: {
      format: (i: IntegrationView) => toEnum(i.format), authMode: (i: IntegrationView) => toEnum(i.authMode),
      defaultSeverity: (i: IntegrationView) => toEnum(i.defaultSeverity), severityThreshold: (i: IntegrationView) => toEnum(i.severityThreshold),
    },
    Alert: { source: (a: AlertView) => toEnum(a.source), severity: (a: AlertView) => toEnum(a.severity) },
    /** The alerts that fed an incident, newest first (the incident was already found readable). */
    Incident: {
      alerts: async (incident: { id: string; agencyId: string }, raw: unknown) => {
        const { first, after } = parse(IncidentAlertArgs, raw)
        return connection(await listAlerts(s.pool, [incident.agencyId], { incidentId: incident.id }, first, after))
      },
    },
  }
}
