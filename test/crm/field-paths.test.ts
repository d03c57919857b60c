import { compile, type JSONValue, TreeInterpreter } from '@jmespath-community/jmespath';
import { describe, expect, it } from 'vitest';
import { loadProfile } from '../../src/crm/profile.js';

/**
 * Plain field paths (`id`, `Created_By.name`) are read without the JMESPath interpreter, for
 * speed (bench --only crm): they must answer exactly what the interpreter answers, for the odd
 * values an untrusted CRM can send too.
 */
const expressions = ['id', 'Created_By.name', 'a.b.c', '"Full Name"', 'constructor', 'length', 'a.length', 'Tag[].id', 'a.b[0]'];
const values: unknown[] = [
  null,
  undefined,
  0,
  'text',
  [],
  [{ id: 1 }],
  { id: 0 },
  { id: false },
  { id: null },
  { id: '' },
  { Created_By: { name: 'Ana' } },
  { Created_By: ['Ana'] },
  { Created_By: 'Ana' },
  { Created_By: null },
  { a: { b: { c: { deep: true } } } },
  { a: { b: [{ c: 1 }] } },
  { a: 'abc' },
  { 'Full Name': 'Ana Khan' },
  { Tag: [{ id: 't1' }, { id: 't2' }] },
];

describe('profile field expressions', () => {
  it.each(expressions)('%s answers what the JMESPath interpreter answers, for every kind of value', (expression) => {
    const loaded = loadProfile(
      {
        baseUrl: 'https://crm.example.com/api',
        auth: { type: 'none' },
        lookup: { path: '/search', query: { q: '{phone}' }, results: 'hits', fields: { _id: expression, phone1: 'tel' } },
        labels: { path: '/labels', results: 'items', fields: { _id: 'id', name: 'name' } },
      },
      {},
    );
    const evaluate = loaded.lookup.fields.get('_id')!.evaluate;
    const ast = compile(expression);
    for (const value of values) expect(evaluate(value), JSON.stringify(value)).toStrictEqual(TreeInterpreter.search(ast, value as JSONValue));
  });
});
