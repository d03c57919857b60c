/**
 * Enough of OData 4's `$filter` (OData URL Conventions §5.1.1) for a fake Dataverse: `eq`, `ne`,
 * `and`, `or`, `not`, parentheses, `endswith`/`startswith`/`contains` over a column and a string
 * literal, string literals with `''` for a quote, numbers and `null`. Comparisons of text ignore
 * case, as Dataverse's default collation does. A filter it cannot read is an {@link ODataSyntaxError}
 * naming the position, as the service's 400 does.
 */

export class ODataSyntaxError extends Error {}

/** A column the filter names that the entity does not have. */
export class ODataUnknownPropertyError extends Error {
  constructor(readonly property: string) {
    super(property);
  }
}

type Token = { kind: 'name' | 'string' | 'number' | 'open' | 'close' | 'comma'; text: string; at: number };
type Row = Readonly<Record<string, unknown>>;
export type Predicate = (row: Row) => boolean;

const FUNCTIONS: Record<string, (value: string, literal: string) => boolean> = {
  endswith: (value, literal) => value.endsWith(literal),
  startswith: (value, literal) => value.startsWith(literal),
  contains: (value, literal) => value.includes(literal),
};

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let at = 0;
  while (at < text.length) {
    const character = text[at]!;
    if (character === ' ') {
      at++;
    } else if (character === "'") {
      let value = '';
      let end = at + 1;
      for (;;) {
        if (end >= text.length) throw new ODataSyntaxError(`Syntax error: unterminated string literal at position ${at} in '${text}'.`);
        if (text[end] === "'") {
          if (text[end + 1] === "'") {
            value += "'";
            end += 2;
            continue;
          }
          break;
        }
        value += text[end];
        end++;
      }
      tokens.push({ kind: 'string', text: value, at });
      at = end + 1;
    } else if (character === '(' || character === ')' || character === ',') {
      tokens.push({ kind: character === '(' ? 'open' : character === ')' ? 'close' : 'comma', text: character, at });
      at++;
    } else {
      const match = /^(?:-?\d+(?:\.\d+)?|[A-Za-z_][\w.@]*)/.exec(text.slice(at));
      if (match === null) throw new ODataSyntaxError(`Syntax error: character '${character}' is not valid at position ${at} in '${text}'.`);
      tokens.push({ kind: /^-?\d/.test(match[0]) ? 'number' : 'name', text: match[0], at });
      at += match[0].length;
    }
  }
  return tokens;
}

/** Compiles a `$filter` into a predicate over one row; `columns` are the entity's properties. */
export function parseFilter(text: string, columns: ReadonlySet<string>): Predicate {
  const tokens = tokenize(text);
  let next = 0;
  const peek = () => tokens[next];
  const fail = (why: string): never => {
    throw new ODataSyntaxError(`Syntax error: ${why} at position ${peek()?.at ?? text.length} in '${text}'.`);
  };
  const take = (kind: Token['kind'], what: string): Token => {
    const token = peek();
    if (token?.kind !== kind) fail(`${what} expected`);
    next++;
    return token!;
  };
  const column = (): string => {
    const name = take('name', 'a property name').text;
    if (!columns.has(name)) throw new ODataUnknownPropertyError(name);
    return name;
  };
  const literal = (): unknown => {
    const token = peek();
    if (token?.kind === 'string') return (next++, token.text);
    if (token?.kind === 'number') return (next++, Number(token.text));
    if (token?.kind === 'name' && token.text === 'null') return (next++, null);
    return fail('a literal expected');
  };
  const text_ = (value: unknown) => (value === null || value === undefined ? undefined : String(value).toLowerCase());

  const primary = (): Predicate => {
    const token = peek();
    if (token?.kind === 'open') {
      next++;
      const inner = or();
      take('close', "')'");
      return inner;
    }
    if (token?.kind === 'name' && token.text === 'not') {
      next++;
      const inner = primary();
      return (row) => !inner(row);
    }
    if (token?.kind === 'name' && Object.hasOwn(FUNCTIONS, token.text) && tokens[next + 1]?.kind === 'open') {
      next += 2;
      const name = column();
      take('comma', "','");
      const value = take('string', 'a string literal').text.toLowerCase();
      take('close', "')'");
      const test = FUNCTIONS[token.text]!;
      return (row) => {
        const stored = text_(row[name]);
        return stored !== undefined && test(stored, value);
      };
    }
    const name = column();
    const operator = take('name', 'an operator').text;
    if (operator !== 'eq' && operator !== 'ne') fail(`unknown operator '${operator}'`);
    const value = literal();
    const wanted = typeof value === 'string' ? value.toLowerCase() : value;
    const equal = (row: Row) => {
      const stored = row[name];
      return typeof stored === 'string' && typeof wanted === 'string' ? stored.toLowerCase() === wanted : (stored ?? null) === wanted;
    };
    return operator === 'eq' ? equal : (row) => !equal(row);
  };
  const and = (): Predicate => {
    const parts = [primary()];
    while (peek()?.kind === 'name' && peek()!.text === 'and') (next++, parts.push(primary()));
    return (row) => parts.every((part) => part(row));
  };
  const or = (): Predicate => {
    const parts = [and()];
    while (peek()?.kind === 'name' && peek()!.text === 'or') (next++, parts.push(and()));
    return (row) => parts.some((part) => part(row));
  };
  const predicate = or();
  if (next < tokens.length) fail(`'${peek()!.text}' not expected`);
  return predicate;
}

/**
 * A query string decoded as OData's URL grammar reads it: split on `&` and `=`, then
 * percent-decoded; a `+` stays a plus (it is not a space outside HTML forms).
 */
export function odataQuery(search: string): Map<string, string> {
  const options = new Map<string, string>();
  for (const pair of search.replace(/^\?/, '').split('&')) {
    if (pair === '') continue;
    const equals = pair.indexOf('=');
    const name = decodeURIComponent(equals === -1 ? pair : pair.slice(0, equals));
    options.set(name, equals === -1 ? '' : decodeURIComponent(pair.slice(equals + 1)));
  }
  return options;
}
