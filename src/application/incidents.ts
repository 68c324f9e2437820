// Incident use cases: each adapter calls these, so authorization, metadata and policy are applied once.
import { randomUUID } from 'node:crypto'
import type { z } from 'zod'
import { incidentCommandInputs, incidentDecider, incidentStreamId, type IncidentAlertCommand, type IncidentCommand, type IncidentEvent, type IncidentState } from '../domain/incident/index.js'
import { authorize } from '../domain/shared/authorization.js'
import type { CommandMetadata } from '../domain/shared/decider.js'
import { handleCommand, type CommandResult } from '../eventstore/handle-command.js'
import type { EventStore } from '../eventstore/types.js'
import type { Clock, Principal, RequestContext } from './context.js'

export interface IncidentPolicy {
  /** Name of the national centre notifications go to (configurable: it was renamed in 2025). */
  nationalCentreName: string
  /** Whether closing an incident requires the national centre to have been notified. */
  closeRequiresNotification: boolean
}

type Inputs = typeof incidentCommandInputs
export type FollowUpType = Exclude<IncidentCommand['type'], 'ReportIncident'>

export interface IncidentResult extends CommandResult {
  incidentId: string
}

export class IncidentService {
  constructor(private readonly store: EventStore, private readonly clock: Clock, private readonly policy: IncidentPolicy) {}

  async report(principal: Principal, input: z.output<Inputs['ReportIncident']>, ctx: RequestContext): Promise<IncidentResult> {
    authorize('ReportIncident', { id: principal.actorId, roles: principal.roles })
    const incidentId = randomUUID()
    const command: IncidentCommand = { type: 'ReportIncident', data: { ...input, incidentId, source: 'EMPLOYEE' }, metadata: this.metadata(principal, ctx) }
    const result = await handleCommand<IncidentCommand | IncidentAlertCommand, IncidentEvent, IncidentState>(this.store, incidentDecider, incidentStreamId(incidentId), command, {
      idempotencyKey: ctx.idempotencyKey,
      // The generated id is not part of the request: a retry must match the first call.
      fingerprint: { type: command.type, actor: principal.actorId, input },
    })
    return { ...result, incidentId: result.streamId.slice('incident-'.length) }
  }

  async execute<T extends FollowUpType>(principal: Principal, type: T, incidentId: string, input: z.output<Inputs[T]>, ctx: RequestContext): Promise<IncidentResult> {
    authorize(type, { id: principal.actorId, roles: principal.roles })
    const data = this.withPolicy(type, input)
    const command = { type, data, metadata: this.metadata(principal, ctx) } as IncidentCommand
    const result = await handleCommand<IncidentCommand | IncidentAlertCommand, IncidentEvent, IncidentState>(this.store, incidentDecider, incidentStreamId(incidentId), command, {
      idempotencyKey: ctx.idempotencyKey,
      fingerprint: { type, incidentId, actor: principal.actorId, input },
    })
    return { ...result, incidentId }
  }

  /** The agency's policy travels in the command, so the decider stays pure. */
  private withPolicy(type: FollowUpType, input: object): object {
    if (type === 'NotifyNationalCentre') return { ...input, destination: this.policy.nationalCentreName }
    if (type === 'CloseIncident') return { ...input, requireNotification: this.policy.closeRequiresNotification }
    return input
  }

  private metadata(principal: Principal, ctx: RequestContext): CommandMetadata {
    return {
      actor: { id: principal.actorId, roles: principal.roles },
      agencyId: principal.agencyId,
      now: this.clock.now().toISOString(),
      correlationId: ctx.correlationId,
      causationId: ctx.causationId,
      source: ctx.source,
    }
  }
}
