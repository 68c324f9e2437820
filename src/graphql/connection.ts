// Relay connections: a connection from a page of a read model (the cursors are the read model's keyset
// cursors), and the backward half of PageInfo for every connection field of the schema.
import { buildSchema, getNamedType, isObjectType } from 'graphql'
import type { Page } from '../projections/incident-queries.js'

export const connection = <T>(page: Page<T>) => ({
  edges: page.items.map((node, i) => ({ cursor: page.cursors[i], node })),
  pageInfo: { hasNextPage: page.hasNextPage, endCursor: page.cursors.at(-1) ?? null },
})

interface ConnectionResult {
  edges?: { cursor?: unknown }[]
  pageInfo?: Record<string, unknown>
}

/**
 * Completes PageInfo as the Relay Cursor Connections spec asks, for every field whose type has `edges` and
 * `pageInfo`: `startCursor` is the first edge's cursor, and `hasPreviousPage` is true when the page starts
 * after a cursor (paging is forward only: `first`/`after`; the edge that cursor names comes before this page).
 * Wraps the resolvers in place; fields without a resolver of their own are left alone.
 */
export function completePageInfo(sdl: string, resolvers: Record<string, Record<string, unknown>>): void {
  const schema = buildSchema(sdl)
  for (const type of Object.values(schema.getTypeMap())) {
    if (!isObjectType(type) || type.name.startsWith('__')) continue
    for (const field of Object.values(type.getFields())) {
      const target = getNamedType(field.type)
      if (!isObjectType(target) || !target.getFields().edges || !target.getFields().pageInfo) continue
      const fields = resolvers[type.name]
      const resolve = fields?.[field.name]
      if (!fields || typeof resolve !== 'function') continue
      fields[field.name] = async (root: unknown, args: { after?: unknown } | undefined, ...rest: unknown[]) => {
        const result = (await resolve(root, args, ...rest)) as ConnectionResult | null | undefined
        if (!result?.pageInfo) return result
        const after = args?.after
        return {
          ...result,
          pageInfo: { ...result.pageInfo, hasPreviousPage: typeof after === 'string' && after !== '', startCursor: result.edges?.[0]?.cursor ?? null },
        }
      }
    }
  }
}
