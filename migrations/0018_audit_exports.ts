// Audit-trail exports: the signed manifest of each export, fetched after the stream ends.
// Frozen in time: imports nothing from src/.
import type { Kysely } from 'kysely'

export async function up(_db: Kysely<any>): Promise<void> {
}

export async function down(_db: Kysely<any>): Promise<void> {
}
