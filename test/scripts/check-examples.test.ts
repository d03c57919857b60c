// The docs checker (scripts/check-examples.ts) finds examples through re-exports, flags an
// @example on a declaration no entry exports, skips only marked README blocks, and fails a
// snippet that does not type-check with the file, symbol and line of the error while passing a
// good one. Fixture packages in temporary folders, so no build is needed.
import { cpSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { checkSnippets, extractExamples, extractMarkdown, type Snippet } from '../../scripts/check-examples.js';

const repo = resolve(import.meta.dirname, '../..');
const folders: string[] = [];
afterAll(() => {
  for (const folder of folders) rmSync(folder, { recursive: true, force: true });
});

function fixture(files: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), 'check-examples-fixture-'));
  folders.push(root);
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(join(root, path, '..'), { recursive: true });
    writeFileSync(join(root, path), text);
  }
  return root;
}

describe('extractExamples', () => {
  const root = fixture({
    'src/entry.ts': "export { double } from './impl.js';\nexport * from './types.js';\n/** @example half(4) */\nexport const half = (n: number) => n / 2;\n",
    'src/impl.ts': [
      '/**',
      ' * Twice the input.',
      ' *',
      ' * @example',
      ' * ```ts',
      " * import { double } from 'fixture';",
      ' * double(2); // 4',
      ' * ```',
      ' */',
      'export function double(n: number): number { return n * 2; }',
      '',
      '/**',
      ' * Not exported by the entry.',
      ' *',
      ' * @example',
      ' * ```ts',
      ' * triple(1);',
      ' * ```',
      ' */',
      'export function triple(n: number): number { return n * 3; }',
      '',
    ].join('\n'),
    'src/types.ts': ['export interface Shape {', '  /**', '   * @example', '   * ```ts', '   * const side = 1;', '   * ```', '   */', '  side: number;', '}', ''].join('\n'),
  });
  const { snippets, strays, unfenced } = extractExamples(root, [{ subpath: 'fixture', source: 'src/entry.ts' }]);

  it('finds an example where the exported symbol is declared, through re-exports, members included', () => {
    expect(snippets).toEqual([
      { file: join('src', 'impl.ts'), line: 6, symbol: 'fixture: double', code: "import { double } from 'fixture';\ndouble(2); // 4" },
      { file: join('src', 'types.ts'), line: 5, symbol: 'fixture: Shape.side', code: 'const side = 1;' },
    ]);
  });

  it('reports an @example on a declaration the entries do not export', () => {
    expect(strays).toEqual([{ file: join('src', 'impl.ts'), line: 15 }]);
  });

  it('reports an exported @example without a fenced ts block', () => {
    expect(unfenced).toEqual([{ file: join('src', 'entry.ts'), line: 3 }]);
  });
});

describe('extractMarkdown', () => {
  it('takes every ts block and skips only one marked not-compiled with a reason', () => {
    const text = ['# Guide', '```ts', 'const a = 1;', '```', '<!-- not-compiled: a fragment of the block above -->', '```ts', 'b;', '```', '```sh', 'npm test', '```', ''].join('\n');
    const { snippets, skipped } = extractMarkdown('README.md', text);
    expect(snippets).toEqual([{ file: 'README.md', line: 3, symbol: 'README.md § Guide', code: 'const a = 1;' }]);
    expect(skipped.map((snippet) => snippet.code)).toEqual(['b;']);
  });

  it('does not skip a block whose marker gives no reason', () => {
    const { snippets } = extractMarkdown('README.md', ['<!-- not-compiled: -->', '```ts', 'b;', '```'].join('\n'));
    expect(snippets.map((snippet) => snippet.code)).toEqual(['b;']);
  });
});

describe('checkSnippets', () => {
  // A package whose exports point at a declaration file, checked with the repo's own tsconfig.
  const packageRoot = fixture({
    'package.json': JSON.stringify({ name: 'fixture-pkg', type: 'module', exports: { '.': { types: './index.d.ts', default: './index.js' } } }),
    'index.d.ts': 'export declare function double(n: number): number;\n',
  });
  cpSync(join(repo, 'tsconfig.json'), join(packageRoot, 'tsconfig.json'));
  mkdirSync(join(packageRoot, 'node_modules'));
  symlinkSync(join(repo, 'node_modules', '@types'), join(packageRoot, 'node_modules', '@types'), 'dir');
  const prelude = 'declare const input: number;\n';
  const snippet = (code: string, line = 10): Snippet => ({ file: 'src/double.ts', line, symbol: 'fixture-pkg: double', code });

  // One TypeScript program for all of them, as the script runs it (each takes seconds).
  it('passes good snippets and fails each wrong one with its file, symbol and the line of the error', () => {
    const snippets = [
      snippet("import { double } from 'fixture-pkg';\nconst result: number = double(input);\nawait Promise.resolve(result);", 10),
      snippet("import { double } from 'fixture-pkg';\nconst text: string = double(input);", 20),
      snippet("import { triple } from 'fixture-pkg';", 30),
      snippet("import { double } from 'fixture-pkg/index.js';", 40),
      snippet('const list: number[] = [];\nconst first: number = list[0];', 50),
      snippet('const same = 1;\nexport { same };', 60),
    ];
    const failures = checkSnippets(snippets, { packageRoot, prelude });
    expect(failures.map(({ file, line, symbol }) => ({ file, line, symbol }))).toEqual(
      [21, 30, 40, 51].map((line) => ({ file: 'src/double.ts', line, symbol: 'fixture-pkg: double' })),
    );
    expect(failures.map((failure) => failure.message)).toEqual([
      "Type 'number' is not assignable to type 'string'.",
      expect.stringContaining("has no exported member 'triple'"),
      expect.stringContaining("Cannot find module 'fixture-pkg/index.js'"),
      // the repo's strict settings hold (noUncheckedIndexedAccess)
      expect.stringMatching(/^Type 'number \| undefined' is not assignable to type 'number'/),
    ]);
  }, 120_000);
});
