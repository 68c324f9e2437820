// Custom scalars and the enum spellings that differ between the schema and the domain.
import { GraphQLError, GraphQLScalarType, Kind, valueFromASTUntyped } from 'graphql'

/**
 * ISO-8601 strings both ways. Inputs are only checked to be strings here: the command's zod schema
 * checks the format, so a bad date answers ValidationFailed with its path like every other field.
 */
export const DateTime = new GraphQLScalarType<string, string>({
  name: 'DateTime',
  serialize: (value) => (value instanceof Date ? value.toISOString() : String(value)),
  parseValue: (value) => {
    if (typeof value !== 'string') throw new GraphQLError('DateTime must be an ISO-8601 string, e.g. 2026-11-27T09:30:00+09:00')
    return value
  },
  parseLiteral: (ast) => {
    if (ast.kind !== Kind.STRING) throw new GraphQLError('DateTime must be an ISO-8601 string, e.g. 2026-11-27T09:30:00+09:00', { nodes: ast })
    return ast.value
  },
})

/** Any JSON value, as stored. */
export const Json = new GraphQLScalarType<unknown, unknown>({
  name: 'JSON',
  serialize: (value) => value,
  parseValue: (value) => value,
  parseLiteral: (ast, variables) => valueFromASTUntyped(ast, variables),
})

/** Schema enum values are UPPERCASE; the domain's severities are lowercase. */
export const severityToGraphql = (value: string | null | undefined): string | null => (value == null ? null : value.toUpperCase())
/** Lowercased for the domain; the command's zod schema then checks it like any other input. */
export const severityFromGraphql = (value: string): string => value.toLowerCase()

/**
 * GraphQL passes `null` for an optional field set to null; the domain (zod `.optional()`) means
 * "absent" by undefined. Drops null members of objects, recursively (null list items are kept, so
 * zod still reports them).
 */
export function withoutNulls(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutNulls)
  if (value === null || typeof value !== 'object') return value
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== null).map(([k, v]) => [k, withoutNulls(v)]))
}

/** A calendar date (YYYY-MM-DD); the zod schema of the field checks it, as for DateTime. */
export const CalendarDate = new GraphQLScalarType<string, string>({
  name: 'Date',
  serialize: (value) => (value instanceof Date ? value.toISOString().slice(0, 10) : String(value)),
  parseValue: (value) => {
    if (typeof value !== 'string') throw new GraphQLError('Date must be a string YYYY-MM-DD, e.g. 2026-04-01')
    return value
  },
  parseLiteral: (ast) => {
    if (ast.kind !== Kind.STRING) throw new GraphQLError('Date must be a string YYYY-MM-DD, e.g. 2026-04-01', { nodes: ast })
    return ast.value
  },
})
