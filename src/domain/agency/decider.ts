// Agencies: registration with the parent rule of Art. 4 §4–5.
import { DomainError } from '../shared/errors.js'
import type { Decider } from '../shared/decider.js'
import type { AgencyCommand } from './commands.js'
import type { AgencyEvent } from './events.js'

export interface AgencyState {
  registered: boolean
}

export const agencyDecider: Decider<AgencyCommand, AgencyEvent, AgencyState> = {
  streamType: 'agency',
  initialState: () => ({ registered: false }),
  evolve: (state, event) => {
    switch (event.type) {
      case 'AgencyRegistered': return { ...state, registered: true }
    }
  },
  decide: (command, state) => {
    switch (command.type) {
      case 'RegisterAgency': {
        const { agencyId, name, kind, parentId, parent } = command.data
        if (state.registered) throw new DomainError('AgencyAlreadyExists', `agency ${agencyId} is already registered`)
        if (kind === 'NATIONAL_ADMINISTRATIVE_ORGAN' && parentId !== undefined) {
          throw new DomainError('ParentNotAllowed', 'a national administrative organ has no parent; leave out the parent')
        }
        if (kind !== 'NATIONAL_ADMINISTRATIVE_ORGAN') {
          if (parentId === undefined) throw new DomainError('ParentRequired', `a ${kind} sits under a national administrative organ; give its id as the parent`)
          if (!parent) throw new DomainError('ParentNotFound', `parent agency ${parentId} is not registered; register it first`)
          if (parent.kind !== 'NATIONAL_ADMINISTRATIVE_ORGAN') {
            throw new DomainError('ParentNotNationalOrgan', `parent ${parentId} is a ${parent.kind}; the parent must be a national administrative organ`)
          }
        }
        return [{ type: 'AgencyRegistered', data: { agencyId, name, kind, parentId, registeredAt: command.metadata.now } }]
      }
    }
  },
}

export const agencyStreamId = (agencyId: string) => `agency-${agencyId}`
