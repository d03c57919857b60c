// What a vendor's editor says when a repository returns a record with a wrong field: the
// compiler's own diagnostic, from the TypeScript API over a snippet next to src/, so that the
// message (which `// @ts-expect-error` cannot pin) names the field instead of
// "Promise<…> is missing the following properties … and 9 more".
import { resolve } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const repo = resolve(import.meta.dirname, '../..');
// The snippets live (in memory only) in test/core/, so that imports resolve as in the project.

const prelude = `import type { CustomerRepository, Label } from '../../src/index.js';
interface Row {
  _id: number; labels: string[]; phone1: string; phone2: string; phone3: string; phone4: string; phone5: string;
  first_name: string; last_name: string; email: string; created_by: string; updated_by: string;
  createdAt: Date; updatedAt: Date; __v: number;
}
declare const row: Row;
declare const labels: Label[];
`;

const snippets = {
  asyncRow: `export const repository: CustomerRepository = {
  findCustomerByPhone: async (): Promise<Row | null> => row,
  listLabels: () => labels,
};
`,
  asyncLiteral: `export const repository: CustomerRepository = {
  async findCustomerByPhone() {
    return { ...row, _id: 42, createdAt: '2020-06-18T09:32:53.823Z' };
  },
  listLabels: async () => labels,
};
`,
  asyncLabel: `export const repository: CustomerRepository = {
  findCustomerByPhone: () => null,
  listLabels: async () => labels.map((label) => ({ ...label, __v: String(label.__v) })),
};
`,
};
const fileOf = (name: string) => resolve(repo, `test/core/__repository-snippet-${name}.ts`);

/** One program over every snippet (type-checking src/ once): each snippet's messages, chains flattened. */
function compile(): Record<keyof typeof snippets, string[]> {
  const { config } = ts.readConfigFile(resolve(repo, 'tsconfig.json'), ts.sys.readFile);
  const { options } = ts.parseJsonConfigFileContent(config, ts.sys, repo);
  const sources = new Map(Object.entries(snippets).map(([name, body]) => [fileOf(name), prelude + body]));
  const host = ts.createCompilerHost(options);
  const getSourceFile = host.getSourceFile.bind(host);
  host.getSourceFile = (file, language, ...rest) => {
    const text = sources.get(resolve(file));
    return text === undefined ? getSourceFile(file, language, ...rest) : ts.createSourceFile(file, text, language);
  };
  const program = ts.createProgram({ rootNames: [...sources.keys()], options, host });
  const messages = (name: string) =>
    ts.getPreEmitDiagnostics(program, program.getSourceFile(fileOf(name))).map((diagnostic) => ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n'));
  return Object.fromEntries(Object.keys(snippets).map((name) => [name, messages(name)])) as Record<keyof typeof snippets, string[]>;
}
const diagnostics = compile();

describe('a repository returning a record with a wrong field type', () => {
  it('an async findCustomerByPhone gets an error naming the field, not the Promise members it lacks', () => {
    const messages = diagnostics.asyncRow;
    expect(messages).toHaveLength(1);
    expect(messages[0]).toMatch(/Types of property '_id' are incompatible\.\s+Type 'number' is not assignable to type 'string'/);
    expect(messages[0]).not.toMatch(/is missing the following properties/);
  });

  it('an async method returning an object literal gets the same', () => {
    const messages = diagnostics.asyncLiteral;
    expect(messages).toHaveLength(1);
    expect(messages[0]).toMatch(/Types of property '_id' are incompatible/);
    expect(messages[0]).not.toMatch(/is missing the following properties/);
  });

  it('a wrong label field is named too', () => {
    const messages = diagnostics.asyncLabel;
    expect(messages).toHaveLength(1);
    expect(messages[0]).toMatch(/'__v'/);
    expect(messages[0]).not.toMatch(/is missing the following properties/);
  });
});
