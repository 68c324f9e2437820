// A mutation for every command in the catalogue: arguments are the command's path parameters, `input`
// and `idempotencyKey`; validated by the same zod schemas as REST; answers CommandResult.
import { z } from 'zod'
import type { CommandSpec, Services } from '../application/command-runner.js'
import { commandContext, principalOf, type GraphqlContext } from './context.js'
import { parseOrFail } from './errors.js'
import { withoutNulls } from './scalars.js'

const IdempotencyKey = z.string().regex(/^[\x21-\x7e]{1,255}$/, '1–255 visible ASCII characters').nullish().transform((v) => v ?? undefined)

type Resolver = (root: unknown, args: Record<string, unknown>, ctx: GraphqlContext) => Promise<unknown>

export function commandMutations(services: Services, commands: readonly CommandSpec[]): { Mutation: Record<string, Resolver> } {
  const Mutation: Record<string, Resolver> = {}
  for (const spec of commands) {
    const args = spec.params.extend({ idempotencyKey: IdempotencyKey })
    Mutation[spec.mutation] = async (_root, raw, ctx) => {
      const principal = principalOf(ctx)
      const { idempotencyKey, ...params } = parseOrFail(args, withoutNulls({ ...raw, input: undefined }), 'arguments')
      const input = parseOrFail(spec.input, withoutNulls(raw.input ?? {}), 'input')
      const result = await spec.run(services, principal, params, input, commandContext(ctx, idempotencyKey as string | undefined))
      return { id: result.id, streamVersion: result.streamVersion, position: result.position, replayed: result.replayed }
    }
  }
  return { Mutation }
}
