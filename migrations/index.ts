// The ordered list of migrations. Listed by hand (no directory scan) so that the built service and
// the TypeScript sources see the same set.
import type { Migration, MigrationProvider } from 'kysely'
import * as m0001 from './0001_event_store.js'
import * as m0002 from './0002_runtime_role.js'
import * as m0003 from './0003_read_models.js'

export const migrations: Record<string, Migration> = {
  '0001_event_store': m0001,
  '0002_runtime_role': m0002,
  '0003_read_models': m0003,
}

export const migrationProvider: MigrationProvider = {
  getMigrations: async () => migrations,
}
