// Tamper evidence: the public signing keys the service has used, and the signed, chained Merkle digests over each agency's log (append-only).
// Frozen in time: imports nothing from src/.
import type { Kysely } from 'kysely'

export async function up(_db: Kysely<any>): Promise<void> {
}

export async function down(_db: Kysely<any>): Promise<void> {
}
