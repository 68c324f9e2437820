// The Common Standards as data: editions, items, baselines.
import t from 'tap'
import { baselineItems, commonStandardsEdition, findStandardsItem, isKnownStandardsItem, standardsEditions, standardsItems } from '../../../src/domain/shared/common-standards.js'

t.test('R3 holds the items of domain.md §11, in order, with confirmed items tagged C', async (t) => {
  const codes = standardsItems('R3').map((i) => i.code)
  t.same(codes.slice(0, 12), ['1.1', '1.2', '1.3', '2.1.1(1)', '2.1.1(2)', '2.1.1(3)', '2.1.1(4)', '2.1.1(5)', '2.1.1(6)', '2.1.1(7)', '2.1.1(8)', '2.1.2'])
  t.ok(codes.includes('3.2.1') && codes.includes('6.11') && codes.includes('7.11') && codes.includes('8.2'))
  t.equal(new Set(codes).size, codes.length, 'codes are unique')
  t.equal(findStandardsItem('R3', '2.2.2')?.confidence, 'C')
  t.equal(findStandardsItem('R3', '2.2.3')?.confidence, 'P')
  t.equal(findStandardsItem('R3', '2.1.1(7)')?.title, 'Organisation: incident readiness (CSIRT)')
  t.equal(findStandardsItem('R3', '6.10')?.chapter, 6)
})

t.test('R5 is R3 plus the shared government systems item', async (t) => {
  t.same(standardsEditions, ['R3', 'R5'])
  const r3 = standardsItems('R3').map((i) => i.code)
  const r5 = standardsItems('R5').map((i) => i.code)
  t.same(r5, [...r3, '8.3'])
  t.match(findStandardsItem('R5', '8.3'), { title: 'Shared government systems', chapter: 8 })
  t.notOk(isKnownStandardsItem('R3', '8.3'))
  t.ok(isKnownStandardsItem('R5', '8.3'))
})

t.test('isKnownStandardsItem answers false for unknown codes and editions', async (t) => {
  t.ok(isKnownStandardsItem('R3', '2.2.4'))
  t.notOk(isKnownStandardsItem('R3', '2.2.9'))
  t.notOk(isKnownStandardsItem('R3', '2.1.1'), 'the organisation item is only mapped by its subdivisions')
  t.notOk(isKnownStandardsItem('R9', '1.1'))
})

t.test('the baseline is every chapter 2–8 item of the edition', async (t) => {
  const r3 = baselineItems('R3')
  t.notOk(r3.includes('1.1'))
  t.ok(r3.includes('2.1.1(1)') && r3.includes('8.2'))
  t.equal(r3.length, standardsItems('R3').length - 3)
  t.ok(baselineItems('R5').includes('8.3'))
  t.equal(baselineItems('R5').length, r3.length + 1)
  t.match(commonStandardsEdition('R5'), { edition: 'R5', publishedOn: '2023-07-04', baseline: baselineItems('R5') })
})
