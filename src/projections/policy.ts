// Read model of policy documents (Art. 4): every adopted basic policy and standards version, and every
// policy review. Rows are only ever added: the version in force is the latest adopted one.
import type pg from 'pg'
import { policyEventTypes, type PolicyEvent } from '../domain/policy/events.js'
import { RowBatch } from './row-batch.js'
import type { ProjectedEvent, Projection, TableNames } from './types.js'

const tableNames = ['policy_documents', 'policy_reviews'] as const
type Tables = (typeof tableNames)[number]

/** The document kinds kept in `policy_documents.document`. */
export type PolicyDocumentKind = 'BASIC_POLICY' | 'STANDARDS'

function documentRow(e: ProjectedEvent, event: Extract<PolicyEvent, { type: 'BasicPolicyAdopted' | 'StandardsAdopted' }>) {
  const base = { agency_id: e.agencyId, version: event.data.version, position: e.position, adopted_on: event.data.adoptedOn, adopted_by: event.data.by, adopted_at: event.data.at }
  if (event.type === 'BasicPolicyAdopted') {
    const d = event.data
    return {
      ...base, document: 'BASIC_POLICY' satisfies PolicyDocumentKind, title: d.title, summary: d.summary, edition: null, parent_id: d.parentId ?? null,
      parent_policy_version: d.parentPolicyVersion ?? null, basic_policy_version: null, items: null,
    }
  }
  const d = event.data
  return {
    ...base, document: 'STANDARDS' satisfies PolicyDocumentKind, title: null, summary: null, edition: d.edition, parent_id: null,
    parent_policy_version: d.parentPolicyVersion ?? null, basic_policy_version: d.basicPolicyVersion, items: d.items,
  }
}

export const policyProjection: Projection<Tables> = {
  name: 'policy',
  eventTypes: policyEventTypes,
  tables: tableNames,
  async apply(client: pg.ClientBase, events: readonly ProjectedEvent[], tables: TableNames<Tables>) {
    const documents = new RowBatch(tables.policy_documents, ['agency_id', 'document', 'version'])
    const reviews = new RowBatch(tables.policy_reviews, ['agency_id', 'review_id'])
    for (const e of events) {
      const event = { type: e.type, data: e.data } as PolicyEvent
      switch (event.type) {
        case 'BasicPolicyAdopted': case 'StandardsAdopted': documents.upsert(documentRow(e, event)); break
        case 'PolicyReviewed': {
          const d = event.data
          reviews.upsert({
            agency_id: e.agencyId, review_id: d.reviewId, position: e.position, outcome: d.outcome, notes: d.notes, basic_policy_version: d.basicPolicyVersion,
            standards_version: d.standardsVersion ?? null, reviewed_by: d.by, reviewed_at: d.at,
          })
          break
        }
      }
    }
    await documents.write(client)
    await reviews.write(client)
  },
}
