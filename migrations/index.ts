// The ordered list of migrations. Listed by hand (no directory scan) so that the built service and
// the TypeScript sources see the same set.
import type { Migration, MigrationProvider } from 'kysely'
import * as m0001 from './0001_event_store.js'
import * as m0002 from './0002_runtime_role.js'
import * as m0003 from './0003_read_models.js'
import * as m0004 from './0004_organisation.js'
import * as m0005 from './0005_policy.js'
import * as m0006 from './0006_plans_education.js'
import * as m0007 from './0007_assurance.js'
// (imports of 0005_policy, 0006_plans_education, 0007_assurance go above this line)
import * as m0008 from './0008_information.js'
import * as m0009 from './0009_exceptions.js'
// (imports of 0008_information, 0009_exceptions go above this line)
import * as m0010 from './0010_training_completion_dates.js'
import * as m0011 from './0011_integrations.js'
import * as m0012 from './0012_alert_correlation.js'
import * as m0013 from './0013_outbound_webhooks.js'
import * as m0014 from './0014_information_systems.js'
import * as m0015 from './0015_suppliers.js'
import * as m0016 from './0016_webhook_retention.js'
import * as m0017 from './0017_audit_digests.js'
import * as m0018 from './0018_audit_exports.js'
import * as m0019 from './0019_compliance.js'
import * as m0020 from './0020_append_one_event.js'

export const migrations: Record<string, Migration> = {
  '0001_event_store': m0001,
  '0002_runtime_role': m0002,
  '0003_read_models': m0003,
  '0004_organisation': m0004,
  '0005_policy': m0005,
  '0006_plans_education': m0006,
  '0007_assurance': m0007,
  // (0005_policy, 0006_plans_education, 0007_assurance go above this line, in order)
  '0008_information': m0008,
  '0009_exceptions': m0009,
  // (0008_information, 0009_exceptions go above this line, in order)
  '0010_training_completion_dates': m0010,
  '0011_integrations': m0011,
  '0012_alert_correlation': m0012,
  '0013_outbound_webhooks': m0013,
  '0014_information_systems': m0014,
  '0015_suppliers': m0015,
  '0016_webhook_retention': m0016,
  '0017_audit_digests': m0017,
  '0018_audit_exports': m0018,
  '0019_compliance': m0019,
  '0020_append_one_event': m0020,
}

export const migrationProvider: MigrationProvider = {
  getMigrations: async () => migrations,
}
