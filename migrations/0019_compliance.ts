// Compliance status (Art. 3-22): the evidence state per agency and the history of each article's status.
// Frozen in time: imports nothing from src/.
import type { Kysely } from 'kysely'

export async function up(_db: Kysely<any>): Promise<void> {
}

export async function down(_db: Kysely<any>): Promise<void> {
}
