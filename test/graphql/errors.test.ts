// The GraphQL error formatter: codes from the catalogue, hidden 5xx, HTTP status, mercurius' wrapped errors.
import { GraphQLError } from 'graphql'
import type { MercuriusContext } from 'mercurius'
import t from 'tap'
import { ReadModelBehindError, ValidationError } from '../../src/application/errors.js'
import { DomainError } from '../../src/domain/shared/errors.js'
import { formatErrors, toSubscriptionError } from '../../src/graphql/errors.js'

function fakeContext() {
  const logged: { obj: object; msg?: string | undefined }[] = []
  const headers: Record<string, string> = {}
  const log = { error: (obj: object, msg?: string) => logged.push({ obj, msg }), info() {}, warn() {}, debug() {} }
  const reply = { log, header: (name: string, value: string) => { headers[name] = value } }
  const context = { reply, app: { log } } as unknown as MercuriusContext
  return { context, logged, headers }
}

const atPath = (original: Error, path = ['incident']) => new GraphQLError(original.message, { path, originalError: original })

t.test('a server fault answers "internal error" with code InternalError and status 500, and logs the original', async (t) => {
  const { context, logged } = fakeContext()
  const original = new Error('connection to 10.0.0.5 refused')
  const { statusCode, response } = formatErrors({ data: null, errors: [atPath(original)] }, context)
  t.equal(statusCode, 500)
  t.match(response.errors, [{ message: 'internal error', extensions: { code: 'InternalError' }, path: ['incident'] }])
  t.notMatch(JSON.stringify(response), /10\.0\.0\.5/, 'no detail leaks')
  t.equal((logged[0]?.obj as { err?: unknown }).err, original, 'the original is logged')
})

t.test('domain and validation errors keep their message, code, status and details', async (t) => {
  const { context } = fakeContext()
  const domain = formatErrors({ data: null, errors: [atPath(new DomainError('IncidentTransitionNotAllowed', 'not now', { status: 'REPORTED' }))] }, context)
  t.equal(domain.statusCode, 409)
  t.match(domain.response.errors, [{ message: 'not now', extensions: { code: 'IncidentTransitionNotAllowed', status: 'REPORTED' } }])
  const invalid = new ValidationError('invalid input', [{ path: 'input.title', message: 'Too small' }])
  const validation = formatErrors({ data: null, errors: [atPath(invalid)] }, context)
  t.equal(validation.statusCode, 400)
  t.match(validation.response.errors, [{ extensions: { code: 'ValidationFailed', errors: [{ path: 'input.title', message: 'Too small' }] } }])
})

t.test('with partial data the status is 200', async (t) => {
  const { context } = fakeContext()
  const { statusCode, response } = formatErrors({ data: { incident: null, me: { actorId: 'a' } }, errors: [atPath(new DomainError('Forbidden', 'no'))] }, context)
  t.equal(statusCode, 200)
  t.same(response.data, { incident: null, me: { actorId: 'a' } })
})

t.test("mercurius' wrapped validation errors (spec rules, depth) become one ValidationFailed each, status 400", async (t) => {
  const { context, logged } = fakeContext()
  const depth = Object.assign(new Error('query depth (12) exceeds the query depth limit of 8'), { code: 'MER_ERR_GQL_QUERY_DEPTH', statusCode: 500 })
  const wrapper = Object.assign(new Error('Graphql validation error'), {
    code: 'MER_ERR_GQL_VALIDATION', statusCode: 400, errors: [new GraphQLError('Cannot query field "nope" on type "Query".'), depth],
  })
  const { statusCode, response } = formatErrors({ errors: [new GraphQLError(wrapper.message, { originalError: wrapper })] }, context)
  t.equal(statusCode, 400)
  t.match(response.errors, [
    { message: /Cannot query field/, extensions: { code: 'ValidationFailed' } },
    { message: /query depth/, extensions: { code: 'ValidationFailed' } },
  ])
  t.equal(logged.length, 0, 'client errors are not logged as failures')
})

t.test('ReadModelBehind sets Retry-After and answers 503', async (t) => {
  const { context, headers } = fakeContext()
  const { statusCode, response } = formatErrors({ data: null, errors: [atPath(new ReadModelBehindError(42))] }, context)
  t.equal(statusCode, 503)
  t.equal(headers['retry-after'], '1')
  t.match(response.errors, [{ extensions: { code: 'ReadModelBehind', position: 42 } }])
})

t.test('subscription errors get the same shape', async (t) => {
  const log = { error() {} }
  t.match(toSubscriptionError(new ValidationError('agency x is not visible to you', [{ path: 'arguments.agencyId', message: 'not visible to you' }]), log).toJSON(),
    { message: 'agency x is not visible to you', extensions: { code: 'ValidationFailed', errors: [{ path: 'arguments.agencyId' }] } })
  t.match(toSubscriptionError(new Error('secret detail'), log).toJSON(), { message: 'internal error', extensions: { code: 'InternalError' } })
})
