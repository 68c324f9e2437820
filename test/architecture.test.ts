// Layering rules read straight from the sources: what each folder may import, and no clock or randomness in the domain.
import { readdirSync, readFileSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import t from 'tap'

const root = fileURLToPath(new URL('..', import.meta.url))
const src = path.join(root, 'src')
const domain = path.join(src, 'domain')
const eventstore = path.join(src, 'eventstore')
const siem = path.join(src, 'siem')
const migrations = path.join(root, 'migrations')

interface SourceFile {
  /** Relative to the repository root, for messages. */
  readonly name: string
  readonly abs: string
  readonly code: string
  readonly imports: readonly string[]
}

function tsFilesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((f) => /\.[cm]?ts$/.test(f))
    .map((f) => path.join(dir, f))
    .sort()
}

/** Drops block comments and whole-line comments, so prose about imports or clocks is not code. */
function stripComments(text: string): string {
  return text.replace(/\/\*[\s\S]*?\*\//g, '').replace(/^\s*\/\/.*$/gm, '')
}

/** Specifiers of `import … from`, `export … from`, `import '…'` and `import('…')`. */
function importSpecifiers(code: string): string[] {
  const patterns = [/\bfrom\s*['"]([^'"]+)['"]/g, /^\s*import\s*['"]([^'"]+)['"]/gm, /\bimport\s*\(\s*['"]([^'"]+)['"]\s*\)/g]
  return patterns.flatMap((p) => [...code.matchAll(p)].map((m) => m[1] ?? ''))
}

function load(abs: string): SourceFile {
  const code = stripComments(readFileSync(abs, 'utf8'))
  return { name: path.relative(root, abs), abs, code, imports: importSpecifiers(code) }
}

const isRelative = (spec: string) => spec.startsWith('./') || spec.startsWith('../')
const resolve = (file: SourceFile, spec: string) => path.resolve(path.dirname(file.abs), spec)
const inside = (dir: string, abs: string) => {
  const rel = path.relative(dir, abs)
  return rel !== '' && !rel.startsWith('..') && !path.isAbsolute(rel)
}

/** Every (file, import) pair that breaks `allowed`, as "file: imports 'spec'" lines for the failure diff. */
function violations(files: readonly SourceFile[], allowed: (file: SourceFile, spec: string) => boolean): string[] {
  return files.flatMap((f) => f.imports.filter((spec) => !allowed(f, spec)).map((spec) => `${f.name}: imports '${spec}'`))
}

const srcFiles = tsFilesUnder(src).map(load)
const domainFiles = srcFiles.filter((f) => inside(domain, f.abs))
const eventstoreFiles = srcFiles.filter((f) => inside(eventstore, f.abs))
const siemFiles = srcFiles.filter((f) => inside(siem, f.abs))
const migrationFiles = readdirSync(migrations).filter((f) => f.endsWith('.ts')).sort().map((f) => load(path.join(migrations, f)))

t.test('the import parser sees every form of import', async (t) => {
  const sample = [
    "import { a } from './a.js'",
    "import type { B } from \"../b.js\"",
    "export * from './c.js'",
    "export { d } from 'd'",
    "import 'side-effect'",
    "const e = await import('./e.js')",
    "import {\n  f,\n  g,\n} from 'fg'",
  ].join('\n')
  t.same(importSpecifiers(sample).sort(), ['../b.js', './a.js', './c.js', './e.js', 'd', 'fg', 'side-effect'])
})

t.test('the rules have files to check', async (t) => {
  t.ok(domainFiles.length > 0, `found ${domainFiles.length} domain files`)
  t.ok(eventstoreFiles.length > 0, `found ${eventstoreFiles.length} eventstore files`)
  t.ok(siemFiles.length > 0, `found ${siemFiles.length} siem files`)
  t.ok(migrationFiles.length > 1, `found ${migrationFiles.length} migration files`)
  const decider = domainFiles.find((f) => f.name === path.join('src', 'domain', 'incident', 'decider.ts'))
  t.ok(decider?.imports.includes('../shared/errors.js'), 'imports of a known file are found')
})

t.test('src/domain imports only zod and files inside src/domain', async (t) => {
  const bad = violations(domainFiles, (f, spec) => spec === 'zod' || (isRelative(spec) && inside(domain, resolve(f, spec))))
  t.same(bad, [], 'domain imports outside zod and src/domain')
})

t.test('only the adapters (http, graphql, cli) and the wiring (app.ts, main.ts) import the adapters', async (t) => {
  const adapters = ['http', 'graphql', 'cli'].map((d) => path.join(src, d))
  const wiring = new Set(['app.ts', 'main.ts'].map((f) => path.join(src, f)))
  const inner = srcFiles.filter((f) => !wiring.has(f.abs) && !adapters.some((dir) => inside(dir, f.abs)))
  t.ok(inner.some((f) => inside(eventstore, f.abs)) && inner.some((f) => inside(path.join(src, 'outbound'), f.abs)), 'the inner layers are checked')
  const bad = violations(inner, (f, spec) => !isRelative(spec) || !adapters.some((dir) => inside(dir, resolve(f, spec))))
  t.same(bad, [], 'an inner layer imports from an adapter')
})

t.test('only main.ts and the CLI entry points read the process (environment, arguments, exit)', async (t) => {
  const entries = (f: SourceFile) => f.abs === path.join(src, 'main.ts') || inside(path.join(src, 'cli'), f.abs)
  const reads = /\bprocess\.(env|argv|exit|exitCode|stdin)\b/
  t.ok(reads.test('loadConfig(process.env)') && !reads.test('process.nextTick(cb)'), 'the pattern catches a read of the environment, not other uses of process')
  const bad = srcFiles.filter((f) => !entries(f) && reads.test(f.code)).map((f) => `${f.name}: ${f.code.match(reads)?.[0]}`)
  t.same(bad, [], 'configuration comes in through loadConfig and arguments, not from process')
})

t.test('nothing in src imports from test', async (t) => {
  const tests = path.join(root, 'test')
  const bad = violations(srcFiles, (f, spec) => !(isRelative(spec) && inside(tests, resolve(f, spec))))
  t.same(bad, [], 'src imports from test/')
})

t.test('migrations import only kysely, and each other only through index.ts', async (t) => {
  const numbered = new Set(migrationFiles.filter((f) => /^\d{4}_[a-z0-9_]+\.ts$/.test(path.basename(f.abs))).map((f) => f.abs))
  t.ok(numbered.size > 0, 'numbered migrations found')
  const bad = violations(migrationFiles, (f, spec) => {
    if (spec === 'kysely') return true
    if (path.basename(f.abs) !== 'index.ts' || !spec.startsWith('./')) return false
    return numbered.has(resolve(f, spec).replace(/\.js$/, '.ts'))
  })
  t.same(bad, [], 'migrations import something other than kysely (or index.ts a non-migration)')
  const index = migrationFiles.find((f) => path.basename(f.abs) === 'index.ts')
  const listed = new Set(index?.imports.filter(isRelative).map((spec) => path.resolve(migrations, spec).replace(/\.js$/, '.ts')))
  t.same([...numbered].filter((m) => !listed.has(m)).map((m) => path.relative(root, m)), [], 'every numbered migration is imported by index.ts')
})

t.test('src/domain reads no clock and no randomness', async (t) => {
  const forbidden = ['new Date(', 'Date.now(', 'Math.random(']
  const bad = domainFiles.flatMap((f) => forbidden.filter((s) => f.code.includes(s)).map((s) => `${f.name}: contains '${s}'`))
  t.same(bad, [], 'time and randomness come in command metadata, not from the domain')
})

t.test('src/siem imports only zod, node:crypto and files inside src/siem', async (t) => {
  const allowed = new Set(['zod', 'node:crypto'])
  const bad = violations(siemFiles, (f, spec) => allowed.has(spec) || (isRelative(spec) && inside(siem, resolve(f, spec))))
  t.same(bad, [], 'siem parsers import something other than zod, node:crypto and src/siem')
})

t.test('src/siem reads no clock, no randomness and no process state', async (t) => {
  // `new Date(ms)` formats a given instant and is allowed; `new Date()` and `Date()` read the clock.
  const forbidden = [/\bDate\.now\s*\(/, /\bnew\s+Date\s*\(\s*\)/, /(?<!new\s+)\bDate\s*\(/, /\bMath\.random\s*\(/,
    /\bperformance\.now\s*\(/, /\bprocess\./, /\b(randomUUID|randomBytes|randomInt|getRandomValues)\s*\(/]
  const bad = siemFiles.flatMap((f) => forbidden.filter((re) => re.test(f.code)).map((re) => `${f.name}: matches ${re}`))
  t.same(bad, [], 'the receipt time comes in as an argument; parsers are pure')
  t.ok(forbidden.some((re) => re.test('const t = Date.now()')) && forbidden.some((re) => re.test('x = new Date()')), 'the patterns catch a clock read')
  t.notOk(forbidden.some((re) => re.test('new Date(ms).toISOString(); Date.UTC(2024, 0, 1)')), 'the patterns allow formatting a given instant')
})
