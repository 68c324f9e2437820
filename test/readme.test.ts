// The README's tables of rules (who may issue which command) and error codes are generated from the
// code; this fails when they are stale (fix: npm run readme).
import { readFileSync } from 'node:fs'
import t from 'tap'
import { errorsTable, readmePath, rulesTable, withTables } from '../scripts/readme-tables.js'

t.test('the README lists every command with its roles, and every error code, as the code has them', async (t) => {
  const readme = readFileSync(readmePath, 'utf8')
  t.ok(readme.includes(rulesTable()), 'rules table is current (run: npm run readme)')
  t.ok(readme.includes(errorsTable()), 'error table is current (run: npm run readme)')
  t.equal(withTables(readme), readme)
})
