/**
 * A small strict parser of the Prometheus text exposition format (0.0.4), written here so that
 * the tests read /metrics independently of prom-client, the library that writes it. It throws
 * on any line it does not understand and on a sample of a family without a `# TYPE` line.
 */
export interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

export interface Exposition {
  types: Map<string, string>;
  samples: Sample[];
}

const NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*/;
const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*/;

function parseValue(text: string, line: string): number {
  if (text === '+Inf') return Number.POSITIVE_INFINITY;
  if (text === '-Inf') return Number.NEGATIVE_INFINITY;
  // Prometheus reads values with Go's ParseFloat, where "NaN" is case-insensitive; prom-client
  // writes "Nan" for a NaN value (seen in the first scrapes after serve starts).
  if (/^nan$/i.test(text)) return Number.NaN;
  if (!/^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(text)) throw new Error(`bad sample value in: ${line}`);
  return Number(text);
}

function parseLabels(rest: string, line: string): { labels: Record<string, string>; rest: string } {
  const labels: Record<string, string> = {};
  if (!rest.startsWith('{')) return { labels, rest };
  let at = 1;
  for (;;) {
    if (rest[at] === '}') return { labels, rest: rest.slice(at + 1) };
    const name = LABEL_NAME.exec(rest.slice(at))?.[0];
    if (name === undefined || rest[at + name.length] !== '=' || rest[at + name.length + 1] !== '"') throw new Error(`bad label in: ${line}`);
    at += name.length + 2;
    let value = '';
    for (;;) {
      const char = rest[at];
      if (char === undefined) throw new Error(`unterminated label value in: ${line}`);
      at++;
      if (char === '"') break;
      if (char === '\\') {
        const escaped = rest[at++];
        if (escaped === 'n') value += '\n';
        else if (escaped === '\\' || escaped === '"') value += escaped;
        else throw new Error(`bad escape in: ${line}`);
      } else value += char;
    }
    if (Object.hasOwn(labels, name)) throw new Error(`repeated label ${name} in: ${line}`);
    labels[name] = value;
    if (rest[at] === ',') at++;
    else if (rest[at] !== '}') throw new Error(`expected , or } in: ${line}`);
  }
}

/** The family a sample belongs to: `x_bucket`, `x_sum`, `x_count` belong to histogram or summary `x`. */
function familyOf(name: string, types: Map<string, string>): string | undefined {
  if (types.has(name)) return name;
  const base = name.replace(/_(bucket|sum|count|created)$/, '');
  const type = types.get(base);
  return type === 'histogram' || type === 'summary' ? base : undefined;
}

export function parsePrometheusText(text: string): Exposition {
  const types = new Map<string, string>();
  const samples: Sample[] = [];
  for (const line of text.split('\n')) {
    if (line.trim() === '') continue;
    if (line.startsWith('#')) {
      const comment = /^# (HELP|TYPE) ([a-zA-Z_:][a-zA-Z0-9_:]*) ?(.*)$/.exec(line);
      if (comment === null) continue; // other comments are allowed and carry nothing
      if (comment[1] === 'TYPE') {
        if (!['counter', 'gauge', 'histogram', 'summary', 'untyped'].includes(comment[3] ?? '')) throw new Error(`bad type in: ${line}`);
        if (types.has(comment[2]!)) throw new Error(`second TYPE for ${comment[2]}`);
        types.set(comment[2]!, comment[3]!);
      }
      continue;
    }
    const name = NAME.exec(line)?.[0];
    if (name === undefined) throw new Error(`bad sample line: ${line}`);
    const { labels, rest } = parseLabels(line.slice(name.length), line);
    const fields = rest.trim().split(/\s+/);
    if (!rest.startsWith(' ') || fields.length < 1 || fields.length > 2) throw new Error(`bad sample line: ${line}`);
    if (familyOf(name, types) === undefined) throw new Error(`sample ${name} has no # TYPE line before it`);
    samples.push({ name, labels, value: parseValue(fields[0]!, line) });
  }
  return { types, samples };
}

/** The value of the one sample with this name and exactly these labels (0 when absent: counters start at zero). */
export function sampleValue(exposition: Exposition, name: string, labels: Record<string, string> = {}): number {
  const matches = exposition.samples.filter(
    (sample) => sample.name === name && Object.keys(sample.labels).length === Object.keys(labels).length && Object.entries(labels).every(([key, value]) => sample.labels[key] === value),
  );
  if (matches.length > 1) throw new Error(`${matches.length} samples of ${name} with ${JSON.stringify(labels)}`);
  return matches[0]?.value ?? 0;
}
