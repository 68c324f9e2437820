// Registering agencies (admin CLI). The parent lives in another agency's log, so it is looked up here
// and handed to the pure decider.
import { agencyDecider, agencyStreamId, type RegisterAgency, type RegisterAgencyInput } from '../domain/agency/index.js'
import type { AgencyKind } from '../domain/shared/roles.js'
import { handleCommand, toDomainEvent, type CommandResult } from '../eventstore/handle-command.js'
import type { EventStore } from '../eventstore/types.js'
import type { AgencyEvent } from '../domain/agency/events.js'
import type { Clock, RequestContext } from './context.js'
import type { z } from 'zod'

export async function registerAgency(
  store: EventStore, clock: Clock, input: z.output<typeof RegisterAgencyInput>, actorId: string, ctx: RequestContext,
): Promise<CommandResult> {
  let parent: { kind: AgencyKind } | undefined
  if (input.parentId !== undefined) {
    const stream = await store.readStream(input.parentId, agencyStreamId(input.parentId))
    const registered = stream.events.map((e) => toDomainEvent<AgencyEvent>(e)).find((e) => e.type === 'AgencyRegistered')
    if (registered) parent = { kind: registered.data.kind }
  }
  const command: RegisterAgency = {
    type: 'RegisterAgency',
    data: { ...input, parent },
    metadata: { actor: { id: actorId, roles: [] }, agencyId: input.agencyId, now: clock.now().toISOString(), correlationId: ctx.correlationId, source: ctx.source },
  }
  return handleCommand(store, agencyDecider, agencyStreamId(input.agencyId), command, { idempotencyKey: ctx.idempotencyKey })
}
