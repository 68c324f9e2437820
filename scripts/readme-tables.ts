// The README's rules and error tables, generated from the code so they cannot drift:
// `npm run readme` rewrites them; test/readme.test.ts fails when they are stale.
import { readFileSync, writeFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { commandCatalogue } from '../src/application/catalogue.js'
import { errorCatalogue } from '../src/application/errors.js'
import { ANY, commandRoles, SYSTEM } from '../src/domain/shared/authorization.js'
import { followUps } from '../src/http/incidents.js'
import { complianceRules } from '../src/domain/compliance/rules.js'
import { dutyKinds } from '../src/domain/compliance/duties.js'

export const readmePath = fileURLToPath(new URL('../README.md', import.meta.url))

const camel = (type: string) => type.charAt(0).toLowerCase() + type.slice(1)

/** One row per command: where it is reached and who may issue it. */
export function rulesTable(): string {
  const routes = new Map<string, { rest: string; mutation: string; tag: string }>([
    ['ReportIncident', { rest: 'POST /api/incidents', mutation: 'reportIncident', tag: 'incidents' }],
    ...Object.entries(followUps).map(([type, segment]) => [type, { rest: `POST /api/incidents/:id/${segment}`, mutation: camel(type), tag: 'incidents' }] as const),
    ...commandCatalogue.map((c) => [c.type, { rest: `POST /api${c.path}`, mutation: c.mutation, tag: c.tag }] as const),
  ])
  const rows = Object.entries(commandRoles).map(([type, roles]) => {
    const route = routes.get(type)
    const who = roles === ANY ? 'anyone authenticated' : roles === SYSTEM ? 'the service itself (not callers)' : roles.join(', ')
    return `| ${route?.tag ?? ''} | ${type} | \`${route?.rest ?? '(not published)'}\` | \`${route?.mutation ?? ''}\` | ${who} |`
  })
  return ['| Area | Command | REST | GraphQL | Roles (any of) |', '|---|---|---|---|---|', ...rows].join('\n')
}

export function errorsTable(): string {
  const rows = Object.entries(errorCatalogue).map(([code, { status, fix }]) => `| ${code} | ${status} | ${fix} |`)
  return ['| Code | Status | How to fix |', '|---|---|---|', ...rows].join('\n')
}

/** One row per article (3–22): what its compliance status is computed from. */
export function complianceTable(): string {
  const rows = complianceRules.map((r) => `| ${r.article} | ${r.title} | ${r.standards.join(', ')} | ${r.evidence} | ${r.nonCompliant} | ${r.otherwise} |`)
  return ['| Art. | Topic | Common Standards | Evidence | NON_COMPLIANT when | Otherwise |', '|---|---|---|---|---|---|', ...rows].join('\n')
}

/** One row per time-driven duty kind the scheduler checks. */
export function dutiesTable(): string {
  const rows = Object.entries(dutyKinds).map(([kind, k]) => `| ${kind} | ${k.article} | ${k.text} | ${k.confidence} |`)
  return ['| Duty | Art. | Overdue when | Confidence |', '|---|---|---|---|', ...rows].join('\n')
}

export function withTables(readme: string): string {
  const put = (text: string, name: string, table: string) => {
    const start = `<!-- ${name}:start -->`
    const end = `<!-- ${name}:end -->`
    const a = text.indexOf(start)
    const b = text.indexOf(end)
    if (a < 0 || b < a) throw new Error(`README.md lacks the markers ${start} … ${end}`)
    return `${text.slice(0, a + start.length)}\n${table}\n${text.slice(b)}`
  }
  return put(put(put(put(readme, 'rules', rulesTable()), 'errors', errorsTable()), 'compliance', complianceTable()), 'duties', dutiesTable())
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  writeFileSync(readmePath, withTables(readFileSync(readmePath, 'utf8')))
  process.stdout.write('README.md tables updated\n')
}
