// Every projection the service runs, by name. A new read model is added here and nowhere else.
import { agenciesProjection } from './agencies.js'
import { incidentsProjection } from './incidents.js'
import type { Projection } from './types.js'

export const allProjections: readonly Projection[] = [agenciesProjection, incidentsProjection]
