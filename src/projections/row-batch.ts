// Set-based writes for projections whose events create rows and then change some of their columns:
// fold a batch in memory (a change to a row created in the same batch is merged into it), then write
// the new rows with one upsert and the changes to older rows with one UPDATE per column set.
import type pg from 'pg'
import { ident } from './types.js'

type Row = Record<string, unknown>

export class RowBatch {
  private readonly rows = new Map<string, Row>()
  private readonly patches = new Map<string, Row>()

  constructor(private readonly table: string, private readonly keys: readonly string[]) {}

  private keyOf(row: Row): string {
    return JSON.stringify(this.keys.map((k) => row[k]))
  }

  /** A whole row (a later `upsert` of the same key replaces it). */
  upsert(row: Row): void {
    const key = this.keyOf(row)
    this.rows.set(key, row)
    this.patches.delete(key)
  }

  /** Changed columns of a row, identified by its key columns (which `patch` must include). */
  patch(patch: Row): void {
    const key = this.keyOf(patch)
    const row = this.rows.get(key)
    if (row) this.rows.set(key, { ...row, ...patch })
    else this.patches.set(key, { ...this.patches.get(key), ...patch })
  }

  async write(client: pg.ClientBase): Promise<void> {
    const table = ident(this.table)
    const keyList = this.keys.map(ident).join(', ')
    if (this.rows.size > 0) {
      const columns = Object.keys([...this.rows.values()][0] ?? {}).filter((c) => !this.keys.includes(c))
      await client.query(
        `INSERT INTO ${table} SELECT * FROM jsonb_populate_recordset(null::${table}, $1::jsonb)
         ON CONFLICT (${keyList}) DO UPDATE SET ${columns.map((c) => `${ident(c)} = excluded.${ident(c)}`).join(', ')}`,
        [JSON.stringify([...this.rows.values()])],
      )
    }
    const bySignature = new Map<string, Row[]>()
    for (const p of this.patches.values()) {
      const signature = Object.keys(p).sort().join(',')
      bySignature.set(signature, [...(bySignature.get(signature) ?? []), p])
    }
    for (const [signature, patches] of bySignature) {
      const columns = signature.split(',').filter((c) => !this.keys.includes(c))
      await client.query(
        `UPDATE ${table} t SET ${columns.map((c) => `${ident(c)} = p.${ident(c)}`).join(', ')}
           FROM jsonb_populate_recordset(null::${table}, $1::jsonb) p
          WHERE ${this.keys.map((k) => `t.${ident(k)} = p.${ident(k)}`).join(' AND ')}`,
        [JSON.stringify(patches)],
      )
    }
  }
}
