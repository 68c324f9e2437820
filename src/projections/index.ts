// Every projection the service runs, by name. A new read model is added here and nowhere else.
import { agenciesProjection } from './agencies.js'
import { incidentsProjection } from './incidents.js'
import { organisationProjection } from './organisation.js'
import { plansProjection } from './plans.js'
import { trainingProjection } from './training.js'
import { policyProjection } from './policy.js'
import { risksProjection } from './risks.js'
import { reviewsDueProjection } from './reviews-due.js'
import { assuranceProjection } from './assurance.js'
import { exceptionsProjection } from './exceptions.js'
import { informationProjection } from './information.js'
import { integrationsProjection } from './integrations.js'
import { systemsProjection } from './systems.js'
import { suppliersProjection } from './suppliers.js'
import { complianceProjection } from './compliance.js'
// (each capability's projection is imported above this line)
import type { Projection } from './types.js'

export const allProjections: readonly Projection[] = [
  agenciesProjection,
  incidentsProjection,
  organisationProjection,
  plansProjection,
  trainingProjection,
  policyProjection,
  risksProjection,
  reviewsDueProjection,
  assuranceProjection,
  exceptionsProjection,
  informationProjection,
  integrationsProjection,
  systemsProjection,
  suppliersProjection,
  complianceProjection,
  // (each capability's projection is listed above this line)
]
