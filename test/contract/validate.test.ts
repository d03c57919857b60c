import { describe, expect, it } from 'vitest';
import { sampleCustomer, sampleLabels, validateCustomer, validateLabelList, type ContractIssue } from '../../src/index.js';
import { customerFieldNames } from '../../src/contract/customer.js';

const labelFieldNames = ['_id', 'name', 'color_code', 'created_by', 'updated_by', 'createdAt', 'updatedAt', '__v'] as const;

function issuesOf(result: { ok: true } | { ok: false; issues: ContractIssue[] }): ContractIssue[] {
  if (result.ok) throw new Error('expected the value to be rejected');
  return result.issues;
}

describe('the samples', () => {
  it('validate strictly and leniently', () => {
    expect(validateCustomer(sampleCustomer)).toEqual({ ok: true, value: sampleCustomer });
    expect(validateLabelList(sampleLabels)).toEqual({ ok: true, value: sampleLabels });
    expect(validateCustomer(sampleCustomer, { mode: 'lenient' }).ok).toBe(true);
    expect(validateLabelList(sampleLabels, { mode: 'lenient' }).ok).toBe(true);
  });

  it('are the seed document exactly', () => {
    expect(sampleCustomer).toMatchObject({ _id: '5eeb34c5de8126e7596383d7', first_name: 'Gold', phone1: '1111', created_by: 'admin', __v: 0 });
    expect(sampleCustomer.labels).toEqual(['5eeb3455de812695676383d2']);
    expect(sampleLabels.map((label) => [label._id, label.name, label.color_code, label.createdAt])).toEqual([
      ['5eeb3455de812695676383d2', 'Gold', '#3cb44b', '2020-06-18T09:31:01.328Z'],
      ['5eeb3460de8126013d6383d3', 'Silver', '#a9a9a9', '2020-06-18T09:31:12.990Z'],
      ['5eeb348dde81262a576383d4', 'platinum ', '#039be6', '2020-06-18T09:31:57.808Z'],
      ['5eeb3499de8126f6b26383d5', 'Vip', '#f032e6', '2020-06-18T09:32:09.385Z'],
      ['5eeb34a7de8126ea486383d6', 'Vvip', '#7c87ce', '2020-06-18T09:32:23.563Z'],
    ]);
    for (const label of sampleLabels) expect(label).toMatchObject({ created_by: 'admin', updated_by: '', __v: 0, updatedAt: label.createdAt });
  });
});

describe('validateCustomer (strict)', () => {
  it.each(customerFieldNames)('rejects %s given a wrong type, naming its path', (field) => {
    const wrong = field === '__v' ? '0' : field === 'labels' ? 'Gold' : 42;
    const issues = issuesOf(validateCustomer({ ...sampleCustomer, [field]: wrong }));
    expect(issues).toEqual([expect.objectContaining({ path: `$.${field}`, code: 'invalid_type' })]);
    expect(issues[0]!.message).toMatch(/^expected (a string|an array|an integer|a number), got /);
  });

  it('states the UTC rule for a date-time with an offset and shows its UTC equivalent', () => {
    const issues = issuesOf(validateCustomer({ ...sampleCustomer, createdAt: '2020-06-18T14:32:53.823+05:00' }));
    expect(issues[0]?.message).toBe(
      'expected an ISO 8601 date-time in UTC, ending in Z, like 2020-06-18T09:32:53.823Z, got "2020-06-18T14:32:53.823+05:00" (in UTC: 2020-06-18T09:32:53.823Z)',
    );
  });

  it('says what a missing text field expects, "" included', () => {
    const { email: _left, ...rest } = sampleCustomer;
    expect(issuesOf(validateCustomer(rest))[0]?.message).toBe('missing: expected a string ("" where the CRM has no value)');
  });

  it.each(customerFieldNames)('rejects a customer without %s', (field) => {
    const { [field]: _left, ...rest } = sampleCustomer;
    const issues = issuesOf(validateCustomer(rest));
    expect(issues).toEqual([expect.objectContaining({ path: `$.${field}`, message: expect.stringMatching(/^missing: expected /) })]);
  });

  it.each([
    ['createdAt', '18/06/2020', 'expected an ISO 8601 date-time in UTC, ending in Z, like 2020-06-18T09:32:53.823Z, got "18/06/2020"'],
    ['updatedAt', '2020-06-18T09:32:53.823+02:00', 'expected an ISO 8601 date-time in UTC, ending in Z, like 2020-06-18T09:32:53.823Z, got "2020-06-18T09:32:53.823+02:00" (in UTC: 2020-06-18T07:32:53.823Z)'],
    ['createdAt', '2020-02-30T00:00:00Z', 'expected an ISO 8601 date-time in UTC, ending in Z, like 2020-06-18T09:32:53.823Z, got "2020-02-30T00:00:00Z"'],
    ['_id', '', 'expected a non-empty string, got ""'],
    ['__v', -1, 'expected a number ≥ 0, got -1'],
    ['__v', 1.5, 'expected an integer, got 1.5'],
  ] as const)('rejects %s = %j with a readable sentence', (field, value, message) => {
    expect(issuesOf(validateCustomer({ ...sampleCustomer, [field]: value }))).toEqual([
      expect.objectContaining({ path: `$.${field}`, message }),
    ]);
  });

  it('points at the bad label id inside labels', () => {
    const issues = issuesOf(validateCustomer({ ...sampleCustomer, labels: ['a', 3, null] }));
    expect(issues.map((issue) => [issue.path, issue.message])).toEqual([
      ['$.labels[1]', 'expected a string, got 3'],
      ['$.labels[2]', 'expected a string, got null'],
    ]);
    expect(issues[0]!.segments).toEqual(['labels', 1]);
  });

  it('rejects an array or an envelope instead of one customer', () => {
    expect(issuesOf(validateCustomer([sampleCustomer]))).toEqual([
      expect.objectContaining({ path: '$', message: 'expected an object, got an array of 1' }),
    ]);
    const wrapped = issuesOf(validateCustomer({ customer: sampleCustomer }));
    expect(wrapped.map((issue) => issue.path)).toContain('$._id');
  });

  it('accepts fields beyond the contract and leaves them out of the value', () => {
    const result = validateCustomer({ ...sampleCustomer, nationalId: '35202-1234567-1' });
    expect(result).toEqual({ ok: true, value: sampleCustomer });
  });

  it('accepts an empty labels array and "" for unknown strings', () => {
    expect(validateCustomer({ ...sampleCustomer, labels: [], first_name: '', created_by: '' }).ok).toBe(true);
  });
});

describe('validateCustomer (lenient)', () => {
  it('needs only _id, labels and phone1, and keeps the rest as received', () => {
    const minimal = { _id: 'c-1', labels: ['gold'], phone1: '+92 300 1234567', createdAt: 'yesterday' };
    expect(validateCustomer(minimal, { mode: 'lenient' })).toEqual({ ok: true, value: minimal });
  });

  it.each(['_id', 'labels', 'phone1'] as const)('still rejects a customer without %s', (field) => {
    const { [field]: _left, ...rest } = sampleCustomer;
    expect(issuesOf(validateCustomer(rest, { mode: 'lenient' }))).toEqual([expect.objectContaining({ path: `$.${field}` })]);
  });
});

describe('validateLabelList', () => {
  it.each(labelFieldNames)('rejects a label whose %s has the wrong type, naming its path', (field) => {
    const labels = sampleLabels.map((label, index) => (index === 2 ? { ...label, [field]: field === '__v' ? '0' : 7 } : label));
    expect(issuesOf(validateLabelList(labels))).toEqual([expect.objectContaining({ path: `$[2].${field}`, code: 'invalid_type' })]);
  });

  it.each([
    ['color_code', 'red', 'expected a colour as #RRGGBB like #3cb44b, got "red"'],
    ['color_code', '#3cb44', 'expected a colour as #RRGGBB like #3cb44b, got "#3cb44"'],
    ['name', '', 'expected a non-empty string, got ""'],
    ['createdAt', '2020-06-18', 'expected an ISO 8601 date-time in UTC, ending in Z, like 2020-06-18T09:32:53.823Z, got "2020-06-18"'],
  ] as const)('rejects %s = %j', (field, value, message) => {
    expect(issuesOf(validateLabelList([{ ...sampleLabels[0], [field]: value }]))).toEqual([
      expect.objectContaining({ path: `$[0].${field}`, message }),
    ]);
  });

  it('accepts colour hex digits in either case and an empty list', () => {
    expect(validateLabelList([{ ...sampleLabels[0], color_code: '#3CB44B' }]).ok).toBe(true);
    expect(validateLabelList([])).toEqual({ ok: true, value: [] });
  });

  it('rejects duplicate label ids, pointing at the second one', () => {
    const labels = [sampleLabels[0], sampleLabels[1], { ...sampleLabels[3], _id: sampleLabels[0]!._id }];
    expect(issuesOf(validateLabelList(labels))).toEqual([
      expect.objectContaining({
        path: '$[2]._id',
        message: 'duplicate label id "5eeb3455de812695676383d2": the label at $[0] has it too',
      }),
    ]);
    expect(issuesOf(validateLabelList(labels, { mode: 'lenient' }))[0]!.path).toBe('$[2]._id');
  });

  it('rejects a label list that is not an array', () => {
    expect(issuesOf(validateLabelList('Gold,Silver'))).toEqual([
      expect.objectContaining({ path: '$', message: 'expected an array, got "Gold,Silver"' }),
    ]);
    expect(issuesOf(validateLabelList({ labels: sampleLabels }))[0]!.path).toBe('$');
  });

  it('leniently needs only _id and name', () => {
    expect(validateLabelList([{ _id: 'g', name: 'Gold', color_code: 'green' }], { mode: 'lenient' }).ok).toBe(true);
    expect(issuesOf(validateLabelList([{ _id: 'g' }], { mode: 'lenient' }))[0]!.path).toBe('$[0].name');
  });
});
