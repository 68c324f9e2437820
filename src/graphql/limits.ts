// Query limits as GraphQL validation rules: selection depth and cost. Pure functions of the schema,
// the document and the variables, so one request cannot make the service run thousands of queries.
import {
  GraphQLError, Kind, getNamedType, getNullableType, isCompositeType, isInterfaceType, isListType, isObjectType,
  valueFromASTUntyped,
  type ASTVisitor, type DocumentNode, type FieldNode, type FragmentDefinitionNode, type GraphQLField, type GraphQLNamedType,
  type GraphQLSchema, type OperationDefinitionNode, type SelectionSetNode, type ValidationContext, type ValidationRule,
} from 'graphql'

export interface QueryLimits {
  /** Deepest field nesting; introspection (`__schema`, `__type`) is measured against its own limit. */
  maxDepth: number
  /** GraphiQL's introspection query nests `ofType` about 15 deep. */
  maxIntrospectionDepth: number
  maxCost: number
  /** Multiplier when `first` is absent or unknown, and the cap on any `first`. */
  maxFirst: number
  /** Multiplier of a list field without `first` (e.g. an incident's timeline). */
  listSize: number
}

type Variables = Readonly<Record<string, unknown>>

export const defaultLimits: QueryLimits = { maxDepth: 8, maxIntrospectionDepth: 16, maxCost: 10_000, maxFirst: 200, listSize: 10 }

interface Walk {
  fragments: Map<string, FragmentDefinitionNode>
  typeOf(name: string): GraphQLNamedType | undefined
  variables: Variables
  operation: OperationDefinitionNode
  limits: QueryLimits
  /** Fragments being expanded, so a cycle (reported by the spec rules) does not loop here. */
  visiting: Set<string>
}

type Measure = (w: Walk, parent: GraphQLNamedType | undefined, field: FieldNode, inner: () => number) => number

/** Folds `measure` over a selection set, expanding fragments; fields combine by `combine`. */
function fold(w: Walk, parent: GraphQLNamedType | undefined, set: SelectionSetNode, measure: Measure, combine: (a: number, b: number) => number): number {
  let total = 0
  for (const sel of set.selections) {
    if (sel.kind === Kind.FIELD) {
      const def = fieldDef(parent, sel.name.value)
      const type = def ? getNamedType(def.type) : undefined
      const inner = () => (sel.selectionSet ? fold(w, type, sel.selectionSet, measure, combine) : 0)
      total = combine(total, measure(w, parent, sel, inner))
    } else if (sel.kind === Kind.INLINE_FRAGMENT) {
      const type = sel.typeCondition ? w.typeOf(sel.typeCondition.name.value) : parent
      total = combine(total, fold(w, type, sel.selectionSet, measure, combine))
    } else {
      const name = sel.name.value
      const fragment = w.fragments.get(name)
      if (!fragment || w.visiting.has(name)) continue
      w.visiting.add(name)
      total = combine(total, fold(w, w.typeOf(fragment.typeCondition.name.value), fragment.selectionSet, measure, combine))
      w.visiting.delete(name)
    }
  }
  return total
}

function fieldDef(parent: GraphQLNamedType | undefined, name: string): GraphQLField<unknown, unknown> | undefined {
  return parent && (isObjectType(parent) || isInterfaceType(parent)) ? parent.getFields()[name] : undefined
}

const isIntrospection = (field: FieldNode) => field.name.value.startsWith('__')

/** How many times a field's selection runs: its `first`, or `listSize` for other lists of objects. */
function listFactor(w: Walk, parent: GraphQLNamedType | undefined, field: FieldNode): number {
  const def = fieldDef(parent, field.name.value)
  if (!def) return 1
  const firstArg = def.args.find((a) => a.name === 'first')
  if (firstArg) {
    const given = field.arguments?.find((a) => a.name.value === 'first')?.value
    let value: unknown = firstArg.defaultValue
    if (given?.kind === Kind.VARIABLE) {
      const name = given.name.value
      const declared = w.operation.variableDefinitions?.find((v) => v.variable.name.value === name)?.defaultValue
      if (Object.hasOwn(w.variables, name)) value = w.variables[name]
      else if (declared) value = valueFromASTUntyped(declared)
    } else if (given) {
      value = valueFromASTUntyped(given)
    }
    return typeof value === 'number' && Number.isInteger(value) && value >= 0 ? Math.min(value, w.limits.maxFirst) : w.limits.maxFirst
  }
  // A connection's edges are already counted by the connection's `first`.
  const listOfObjects = isListType(getNullableType(def.type)) && isCompositeType(getNamedType(def.type))
  return listOfObjects && field.name.value !== 'edges' ? w.limits.listSize : 1
}

const costOf: Measure = (w, parent, field, inner) => (isIntrospection(field) ? 1 + inner() : 1 + listFactor(w, parent, field) * inner())

const depthOf: Measure = (_w, _parent, _field, inner) => 1 + inner()

function walkOf(schema: GraphQLSchema, document: DocumentNode, operation: OperationDefinitionNode, variables: Variables, limits: QueryLimits): Walk {
  const fragments = new Map(document.definitions
    .filter((d): d is FragmentDefinitionNode => d.kind === Kind.FRAGMENT_DEFINITION)
    .map((d) => [d.name.value, d]))
  return { fragments, typeOf: (name) => schema.getType(name) ?? undefined, variables, operation, limits, visiting: new Set() }
}

/** The cost of an operation of `document` (see QueryLimits). */
export function operationCost(schema: GraphQLSchema, document: DocumentNode, operation: OperationDefinitionNode, variables: Variables = {}, limits = defaultLimits): number {
  const root = schema.getRootType(operation.operation) ?? undefined
  return fold(walkOf(schema, document, operation, variables, limits), root, operation.selectionSet, costOf, (a, b) => a + b)
}

/** Rejects an operation whose cost exceeds `limits.maxCost`; variables sharpen the count of `first`. */
export function costLimitRule(limits: QueryLimits = defaultLimits, variables: Variables = {}): ValidationRule {
  return (context: ValidationContext): ASTVisitor => ({
    OperationDefinition(operation) {
      const cost = operationCost(context.getSchema(), context.getDocument(), operation, variables, limits)
      if (cost > limits.maxCost) {
        context.reportError(new GraphQLError(
          `query cost ${cost} exceeds the limit of ${limits.maxCost}; ask for fewer items (first) or fewer nested lists`, { nodes: operation }))
      }
    },
  })
}

/** Rejects an operation nested deeper than `limits.maxDepth` (introspection: `maxIntrospectionDepth`). */
export function depthLimitRule(limits: QueryLimits = defaultLimits): ValidationRule {
  return (context: ValidationContext): ASTVisitor => ({
    OperationDefinition(operation) {
      const schema = context.getSchema()
      const w = walkOf(schema, context.getDocument(), operation, {}, limits)
      const root = schema.getRootType(operation.operation) ?? undefined
      let deepest = 0
      let introspection = 0
      for (const sel of operation.selectionSet.selections) {
        const depth = fold(w, root, { kind: Kind.SELECTION_SET, selections: [sel] }, depthOf, Math.max)
        if (sel.kind === Kind.FIELD && isIntrospection(sel)) introspection = Math.max(introspection, depth)
        else deepest = Math.max(deepest, depth)
      }
      if (deepest > limits.maxDepth || introspection > limits.maxIntrospectionDepth) {
        const [depth, limit] = deepest > limits.maxDepth ? [deepest, limits.maxDepth] : [introspection, limits.maxIntrospectionDepth]
        context.reportError(new GraphQLError(`query depth ${depth} exceeds the limit of ${limit}`, { nodes: operation }))
      }
    },
  })
}
