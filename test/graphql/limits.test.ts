// Query limits as pure validation rules, on a small schema with a cycle (so depth is unbounded).
import { buildSchema, getIntrospectionQuery, parse, validate } from 'graphql'
import t from 'tap'
import { costLimitRule, defaultLimits, depthLimitRule, operationCost, type QueryLimits } from '../../src/graphql/limits.js'

const schema = buildSchema(`
  type Query { agency(id: ID!): Agency, agencies(first: Int = 50): AgencyConnection! }
  type Agency { id: ID!, parent: Agency, tags: [String!]!, events: [Event!]!, children(first: Int): AgencyConnection! }
  type Event { type: String! }
  type AgencyConnection { edges: [AgencyEdge!]!, pageInfo: PageInfo! }
  type AgencyEdge { cursor: String!, node: Agency! }
  type PageInfo { hasNextPage: Boolean! }
`)

const limits: QueryLimits = { ...defaultLimits, maxDepth: 4, maxCost: 1_000 }

const cost = (query: string, variables: Record<string, unknown> = {}) => {
  const document = parse(query)
  const operation = document.definitions.find((d) => d.kind === 'OperationDefinition')
  if (operation?.kind !== 'OperationDefinition') throw new Error('no operation')
  return operationCost(schema, document, operation, variables, limits)
}
const costErrors = (query: string, variables: Record<string, unknown> = {}) =>
  validate(schema, parse(query), [costLimitRule(limits, variables)]).map((e) => e.message)
const depthErrors = (query: string) => validate(schema, parse(query), [depthLimitRule(limits)]).map((e) => e.message)

t.test('every field costs 1 and a list multiplies its selection by first (edges are not counted twice)', async (t) => {
  t.equal(cost('{ agency(id: "a") { id tags } }'), 3, 'scalar lists are leaves')
  t.equal(cost('{ agencies(first: 3) { edges { node { id } } } }'), 1 + 3 * (1 + (1 + 1)))
  t.equal(cost('{ agencies { edges { node { id } } } }'), 1 + 50 * 3, 'the argument default counts when first is absent')
  t.equal(cost('{ agency(id: "a") { events { type } } }'), 1 + (1 + limits.listSize * 1), 'lists without first count listSize')
  t.equal(cost('{ agencies(first: 1000) { pageInfo { hasNextPage } } }'), 1 + limits.maxFirst * 2, 'first is capped')
})

t.test('fragments and aliases are counted where they are spread', async (t) => {
  const q = 'query { a: agencies(first: 2) { ...E } b: agencies(first: 2) { ...E } } fragment E on AgencyConnection { edges { node { id } } }'
  t.equal(cost(q), 2 * (1 + 2 * 3))
  t.equal(cost('{ agency(id: "a") { ... on Agency { id parent { id } } } }'), 1 + 1 + 2)
})

t.test('a variable first counts by its value, else its default, else the cap', async (t) => {
  const q = 'query($n: Int) { agencies(first: $n) { pageInfo { hasNextPage } } }'
  t.equal(cost(q, { n: 4 }), 1 + 4 * 2)
  t.equal(cost('query($n: Int = 7) { agencies(first: $n) { pageInfo { hasNextPage } } }'), 1 + 7 * 2)
  t.equal(cost(q), 1 + 50 * 2, 'an unset variable leaves the argument default')
  t.equal(cost('query($n: Int!) { agency(id: "a") { children(first: $n) { pageInfo { hasNextPage } } } }'), 1 + 1 + limits.maxFirst * 2)
})

t.test('the cost rule rejects an operation over the limit and passes one under it', async (t) => {
  const nested = (n: number) => `{ agencies(first: ${n}) { edges { node { children(first: ${n}) { edges { node { id } } } } } } }`
  t.same(costErrors(nested(5)), [])
  t.match(costErrors(nested(40)), [/query cost 4921 exceeds the limit of 1000/])
  t.same(costErrors('query($n: Int) { agencies(first: $n) { edges { node { children(first: $n) { edges { node { id } } } } } } }', { n: 5 }), [],
    'variables sharpen the count')
})

t.test('the depth rule rejects nesting past the limit, however it is written', async (t) => {
  t.same(depthErrors('{ agency(id: "a") { parent { parent { id } } } }'), [], 'depth 4 is allowed')
  t.match(depthErrors('{ agency(id: "a") { parent { parent { parent { id } } } } }'), [/query depth 5 exceeds the limit of 4/])
  const viaFragments = 'query { agency(id: "a") { ...P } } fragment P on Agency { parent { ...Q } } fragment Q on Agency { parent { parent { id } } }'
  t.match(depthErrors(viaFragments), [/query depth 5/], 'fragments do not hide depth')
})

t.test('introspection has its own depth limit, high enough for GraphiQL', async (t) => {
  const errors = validate(schema, parse(getIntrospectionQuery()), [depthLimitRule(defaultLimits), costLimitRule(defaultLimits)])
  t.same(errors.map((e) => e.message), [], 'the standard introspection query passes')
  const ofType = (n: number): string => (n === 0 ? 'name' : `ofType { ${ofType(n - 1)} }`)
  t.match(depthErrors(`{ __type(name: "Agency") { fields { type { ${ofType(20)} } } } }`), [/query depth \d+ exceeds the limit of 16/])
})

t.test('a fragment cycle (the spec rules report it) is expanded once by the limits, not forever', async (t) => {
  const cycle = '{ agency(id: "a") { ...A } } fragment A on Agency { parent { ...A } }'
  t.equal(cost(cycle), 2)
  t.same(depthErrors(cycle), [])
})
