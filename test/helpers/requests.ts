// Small request helpers for adapter tests: REST calls and GraphQL operations with a bearer token,
// answering the status and the parsed body.
import type { FastifyInstance } from 'fastify'

export function restClient(app: FastifyInstance) {
  const headers = (token: string) => ({ authorization: `Bearer ${token}` })
  return {
    async get(token: string, url: string) {
      const res = await app.inject({ method: 'GET', url, headers: headers(token) })
      return { status: res.statusCode, body: res.json() }
    },
    async post(token: string, url: string, payload: object, extra: Record<string, string> = {}) {
      const res = await app.inject({ method: 'POST', url, headers: { ...headers(token), ...extra }, payload })
      return { status: res.statusCode, body: res.json() }
    },
  }
}

export function graphqlClient(app: FastifyInstance) {
  return async function gql(token: string, query: string, variables: object = {}) {
    const res = await app.inject({ method: 'POST', url: '/graphql', headers: { authorization: `Bearer ${token}` }, payload: { query, variables } })
    return { status: res.statusCode, body: res.json() }
  }
}
