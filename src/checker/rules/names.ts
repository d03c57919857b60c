import type { LabelAnswer } from '../observed.js';
import type { CheckResult } from '../report.js';
import { count, fromFindings, objectEntries, skipped, type Finding } from './common.js';

function labelNames(observed: LabelAnswer) {
  const body = observed.labelList;
  if (body === undefined || !Array.isArray(body.value)) return undefined;
  return objectEntries(body.value).flatMap(({ index, entry }) => (typeof entry.name === 'string' ? [{ index, name: entry.name }] : []));
}

// How many labels of one crowded name a sentence names.
const NAMED = 5;
const SKIP = 'no label array to read (see labels.status and labels.schema)';

/**
 * `labels.name-whitespace`: warns for names with leading or trailing white space.
 */
export function labelsNameWhitespace(observed: LabelAnswer): CheckResult {
  const names = labelNames(observed);
  if (names === undefined) return skipped('labels.name-whitespace', SKIP);
  const findings: Finding[] = names.flatMap(({ index, name }): Finding[] => {
    const where = [/^\s/.test(name) && 'leading', /\s$/.test(name) && 'trailing'].filter(Boolean).join(' and ');
    return where === ''
      ? []
      : [{ path: `$[${index}].name`, status: 'warn', message: `${JSON.stringify(name)} has ${where} white space: it only matches a routing label spelled exactly so` }];
  });
  return fromFindings('labels.name-whitespace', findings, [observed.labels], {
    pass: `${count(names.length, 'name')} without leading or trailing white space`,
    fail: (n) => `${count(n, 'name')} with leading or trailing white space`,
  });
}

/**
 * `labels.name-case-duplicates`: warns for names equal to another but for case.
 */
export function labelsNameCaseDuplicates(observed: LabelAnswer): CheckResult {
  const names = labelNames(observed);
  if (names === undefined) return skipped('labels.name-case-duplicates', SKIP);
  const groups = new Map<string, typeof names>();
  // Pushed in place: copying the group for each label was quadratic in a crowd of one name.
  for (const label of names) {
    const key = label.name.toLowerCase();
    const group = groups.get(key);
    if (group === undefined) groups.set(key, [label]);
    else group.push(label);
  }
  const findings: Finding[] = [...groups.values()]
    .filter((group) => group.length > 1)
    .map((group) => {
      const [first, ...others] = group as [(typeof names)[number], ...typeof names];
      const same = others.every(({ name }) => name === first.name);
      // A connector may send thousands of one name: a few are named (each spelling once when
      // they differ by case), the rest counted, so the report stays small.
      const firstOfEach = new Map<string, (typeof names)[number]>();
      for (const label of group) if (!firstOfEach.has(label.name)) firstOfEach.set(label.name, label);
      const shown = (same ? group : [...firstOfEach.values()]).slice(0, NAMED);
      const rest = group.length - shown.length;
      const listed = [
        ...shown.map(({ index, name }) => `${JSON.stringify(name)} ($[${index}])`),
        ...(rest > 0 ? [`and ${rest.toLocaleString('en-US')} more`] : []),
      ].join(', ');
      return {
        path: `$[${others[0]!.index}].name`,
        status: 'warn',
        message: same
          ? `${count(group.length, 'label')} have the same name: ${listed}`
          : `names that differ only by case: ${listed}; Hybrid Chat matches names exactly, so only one can match a routing label`,
      };
    });
  return fromFindings('labels.name-case-duplicates', findings, [observed.labels], {
    pass: `${count(names.length, 'name')}, none equal to another ignoring case`,
    fail: (n) => `${count(n, 'group')} of names equal ignoring case`,
  });
}
