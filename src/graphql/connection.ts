// A Relay connection from a page of a read model (the cursors are the read model's keyset cursors).
import type { Page } from '../projections/incident-queries.js'

export const connection = <T>(page: Page<T>) => ({
  edges: page.items.map((node, i) => ({ cursor: page.cursors[i], node })),
  pageInfo: { hasNextPage: page.hasNextPage, endCursor: page.cursors.at(-1) ?? null },
})
