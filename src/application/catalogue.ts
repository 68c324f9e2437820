// Every command of the Common Model capabilities beyond incidents, as the adapters publish them
// (REST under /api, GraphQL mutations). A new command is added to its module's list; the lists are
// joined here and nowhere else.
import type { CommandSpec } from './command-runner.js'
import { organisationCommands } from './organisation.js'
import { planCommands } from './plans.js'
import { trainingCommands } from './training.js'
import { policyCommands } from './policy.js'
import { assuranceCommands } from './assurance.js'
import { exceptionCommands } from './exceptions.js'
import { informationCommands } from './information.js'
import { integrationCommands } from './integrations.js'
import { webhookSubscriptionCommands } from './webhook-subscriptions.js'
import { systemCommands } from './systems.js'
import { supplierCommands } from './suppliers.js'
import { usageRulesCommands } from './usage-rules.js'
// (each capability's list is imported above this line)

export const commandCatalogue: readonly CommandSpec[] = [
  ...organisationCommands,
  ...planCommands,
  ...trainingCommands,
  ...policyCommands,
  ...assuranceCommands,
  ...exceptionCommands,
  ...informationCommands,
  ...integrationCommands,
  ...webhookSubscriptionCommands,
  ...systemCommands,
  ...supplierCommands,
  ...usageRulesCommands,
  // (each capability's list is spread above this line)
]
