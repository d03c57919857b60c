// Docs that compile: every JSDoc `@example` on an export of a public entry (package.json
// `exports`: root, /node, /fetch, /sql, /openapi, /testing) and every ```ts block of README.md (and
// of the guides in docs/*.md, when there are any) is
// type-checked, in one TypeScript program, as a consumer would write it: from a temporary project
// whose node_modules/priority-routing-crm is a symlink to this repository, so the imports go
// through package.json `exports` to the BUILT declarations (run `npm run build` first; .ci/run
// does). Settings: the repo's strict tsconfig plus module/moduleResolution NodeNext, noEmit,
// skipLibCheck false, and every snippet a module (top-level await works).
//
// Examples are found through the TypeScript compiler on the src entries (tsup.config.ts maps each
// dist name to its src file), following re-exports, so an example is found wherever its symbol is
// declared. An `@example` anywhere else in src (on a declaration no public entry exports) is an
// error too: examples belong on public exports.
//
// A markdown ```ts block that is deliberately not standalone is skipped when the line right before
// it is `<!-- not-compiled: reason -->` (the reason is required).
//
// Snippets may use a few free identifiers that stand for what the reader already has; they are
// declared once in PRELUDE below (keep it small: a name belongs here only when an example would
// otherwise be mostly setup).
//
// Usage: npm run check:examples   (tsx scripts/check-examples.ts)
import { existsSync, mkdtempSync, mkdirSync, readFileSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import ts from 'typescript';

/** One code block to type-check, and where it came from. */
export interface Snippet {
  /** Repository-relative file the block is written in. */
  file: string;
  /** 1-based line of the block's first code line in `file`. */
  line: number;
  /** What it documents: `entry: symbol` for an `@example`, the heading for a README block. */
  symbol: string;
  code: string;
}

/** An `@example` on a declaration that no public entry exports. */
export interface StrayExample {
  file: string;
  line: number;
}

export interface Failure {
  file: string;
  line: number;
  symbol: string;
  message: string;
}

/**
 * Free identifiers an example may use without declaring them: what a reader of the docs already
 * has in hand. Global on purpose (a script .d.ts), typed from the public entries.
 */
export const PRELUDE = `// check-examples prelude: what a reader of the docs already has in hand.
/** The vendor's repository over their CRM (what createConnector and the bridges are given). */
declare const repository: import('priority-routing-crm').CustomerRepository;
/** A connector made with createConnector({ repository }). */
declare const connector: import('priority-routing-crm').Connector;
/** A client made with createConnectorClient({ customerQueryUrl, labelsUrl }), and its two URLs. */
declare const client: import('priority-routing-crm').ConnectorClient;
declare const customerQueryUrl: string;
declare const labelsUrl: string;
/** One answer of that client (client.getCustomer(phone)). */
declare const result: import('priority-routing-crm').CustomerLookupResult<import('priority-routing-crm').StrictCustomer>;
/** The checker's input and output (priority-routing-crm/testing). */
declare const options: import('priority-routing-crm/testing').VerifyConnectorOptions;
declare const report: import('priority-routing-crm/testing').CheckReport;
/** A request in hand and a response received (Fetch API). */
declare const request: Request;
declare const response: Response;
declare const signal: AbortSignal;
/** An Express app (express()). */
declare const app: import('express').Express;
/** A pg pool and a SQL mapping (priority-routing-crm/sql). */
declare const pool: import('pg').Pool;
declare const mapping: import('priority-routing-crm/sql').SqlMapping;
/**
 * The vendor's own data access, whatever it is: rows come back untyped, as they do from pg or a
 * document store's driver.
 */
interface VendorCollection {
  findOne(filter: object, options?: { signal?: AbortSignal }): Promise<any>;
  find(filter: object, options?: { signal?: AbortSignal }): Promise<any[]>;
}
declare const db: {
  customers: VendorCollection;
  labels: VendorCollection;
  contacts: VendorCollection;
  tiers: VendorCollection;
  query(sql: string, parameters?: unknown[]): Promise<{ rows: any[] }>;
};
`;

const here = dirname(fileURLToPath(import.meta.url));
const repoRoot = resolve(here, '..');

/** package.json `exports` subpaths (code entries only) with the src file each is built from. */
export function publicEntries(root = repoRoot): { subpath: string; source: string }[] {
  const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { name: string; exports: Record<string, unknown> };
  const tsup = readFileSync(join(root, 'tsup.config.ts'), 'utf8');
  const sources = new Map([...tsup.matchAll(/^\s*(\w+): '(src\/[^']+\.ts)'/gm)].map((match) => [match[1], match[2]]));
  const entries: { subpath: string; source: string }[] = [];
  for (const [key, target] of Object.entries(manifest.exports)) {
    const types = typeof target === 'object' && target !== null ? (target as { import?: { types?: string } }).import?.types : undefined;
    if (types === undefined) continue; // ./package.json, ./openapi.yaml
    const name = /^\.\/dist\/(\w+)\.d\.ts$/.exec(types)?.[1];
    const source = name === undefined ? undefined : sources.get(name);
    if (source === undefined) throw new Error(`check-examples: no tsup entry builds ${types} (package.json exports["${key}"])`);
    entries.push({ subpath: key === '.' ? manifest.name : `${manifest.name}${key.slice(1)}`, source });
  }
  return entries;
}

const lineOf = (file: ts.SourceFile, position: number) => file.getLineAndCharacterOfPosition(position).line + 1;

/** The fenced ```ts blocks inside one JSDoc `@example` tag, with their 1-based start lines. */
function fencedBlocks(source: ts.SourceFile, tag: ts.JSDocTag): { line: number; code: string }[] {
  const start = lineOf(source, tag.getStart(source));
  const lines = source.text.slice(tag.getStart(source), tag.getEnd()).split('\n').map((text) => text.replace(/^\s*\*(?: |$)/, '').replace(/\s*\*\/\s*$/, ''));
  const blocks: { line: number; code: string }[] = [];
  let open: { line: number; lines: string[] } | undefined;
  lines.forEach((text, index) => {
    if (open === undefined) {
      if (/^\s*```(ts|typescript)\s*$/.test(text)) open = { line: start + index + 1, lines: [] };
    } else if (/^\s*```\s*$/.test(text)) {
      blocks.push({ line: open.line, code: open.lines.join('\n') });
      open = undefined;
    } else open.lines.push(text);
  });
  return blocks;
}

/** Declarations whose JSDoc may carry examples: the export itself and, for types, its members. */
function documentedNodes(declaration: ts.Declaration): ts.Node[] {
  const nodes: ts.Node[] = [declaration];
  const visit = (node: ts.Node) => {
    if (ts.isPropertySignature(node) || ts.isMethodSignature(node) || ts.isPropertyDeclaration(node) || ts.isMethodDeclaration(node) || ts.isGetAccessorDeclaration(node) || ts.isConstructorDeclaration(node)) nodes.push(node);
    if (ts.isTypeLiteralNode(node) || ts.isInterfaceDeclaration(node) || ts.isClassDeclaration(node) || ts.isTypeAliasDeclaration(node) || ts.isIntersectionTypeNode(node) || ts.isUnionTypeNode(node) || ts.isPropertySignature(node)) ts.forEachChild(node, visit);
  };
  if (ts.isInterfaceDeclaration(declaration) || ts.isClassDeclaration(declaration) || ts.isTypeAliasDeclaration(declaration)) ts.forEachChild(declaration, visit);
  return nodes;
}

/**
 * Every `@example` block on an export of the given entries (re-exports followed), and every
 * `@example` tag under `srcDir` that none of them reaches.
 */
export function extractExamples(root: string, entries: { subpath: string; source: string }[], srcDir = join(root, 'src')): { snippets: Snippet[]; strays: StrayExample[]; unfenced: StrayExample[] } {
  const program = ts.createProgram(entries.map((entry) => join(root, entry.source)), { target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.ESNext, moduleResolution: ts.ModuleResolutionKind.Bundler, noEmit: true, types: [] });
  const checker = program.getTypeChecker();
  const snippets: Snippet[] = [];
  const unfenced: StrayExample[] = [];
  const seen = new Set<ts.JSDocTag>();
  for (const entry of entries) {
    const file = program.getSourceFile(join(root, entry.source));
    const moduleSymbol = file === undefined ? undefined : checker.getSymbolAtLocation(file);
    if (moduleSymbol === undefined) throw new Error(`check-examples: cannot read the exports of ${entry.source}`);
    for (const exported of checker.getExportsOfModule(moduleSymbol)) {
      const target = exported.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(exported) : exported;
      for (const declaration of target.declarations ?? []) {
        for (const node of documentedNodes(declaration)) {
          for (const tag of ts.getJSDocTags(node)) {
            if (tag.tagName.text !== 'example' || seen.has(tag)) continue;
            seen.add(tag);
            const source = node.getSourceFile();
            const memberName = node === declaration ? '' : `.${(node as ts.NamedDeclaration).name?.getText(source) ?? 'constructor'}`;
            const blocks = fencedBlocks(source, tag);
            const where = { file: relative(root, source.fileName), symbol: `${entry.subpath}: ${exported.name}${memberName}` };
            if (blocks.length === 0) unfenced.push({ file: where.file, line: lineOf(source, tag.getStart(source)) });
            for (const block of blocks) snippets.push({ ...where, ...block });
          }
        }
      }
    }
  }
  const reached = new Set([...seen].map((tag) => `${relative(root, tag.getSourceFile().fileName)}:${lineOf(tag.getSourceFile(), tag.getStart(tag.getSourceFile()))}`));
  const strays: StrayExample[] = [];
  const walk = (dir: string) => {
    for (const item of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, item.name);
      if (item.isDirectory()) walk(path);
      else if (item.name.endsWith('.ts')) {
        const source = ts.createSourceFile(path, readFileSync(path, 'utf8'), ts.ScriptTarget.ES2022, true);
        const visit = (node: ts.Node) => {
          for (const tag of ts.getJSDocTags(node)) {
            const key = `${relative(root, path)}:${lineOf(source, tag.getStart(source))}`;
            if (tag.tagName.text === 'example' && !reached.has(key)) strays.push({ file: relative(root, path), line: lineOf(source, tag.getStart(source)) });
          }
          ts.forEachChild(node, visit);
        };
        visit(source);
      }
    }
  };
  walk(srcDir);
  const unique = new Map(strays.map((stray) => [`${stray.file}:${stray.line}`, stray]));
  return { snippets, strays: [...unique.values()], unfenced };
}

/** Every ```ts block of a markdown file, except those right after `<!-- not-compiled: reason -->`. */
export function extractMarkdown(file: string, text: string): { snippets: Snippet[]; skipped: Snippet[] } {
  const lines = text.split('\n');
  const snippets: Snippet[] = [];
  const skipped: Snippet[] = [];
  let heading = '(top)';
  for (let index = 0; index < lines.length; index++) {
    const line = lines[index] as string;
    if (/^#{1,6} /.test(line)) heading = line.replace(/^#+ /, '');
    if (!/^```(ts|typescript)\s*$/.test(line)) continue;
    const start = index + 1;
    let end = start;
    while (end < lines.length && !/^```\s*$/.test(lines[end] as string)) end++;
    let previous = index - 1;
    while (previous >= 0 && (lines[previous] as string).trim() === '') previous--;
    const snippet = { file, line: start + 1, symbol: `${file} § ${heading}`, code: lines.slice(start, end).join('\n') };
    if (previous >= 0 && /^<!--\s*not-compiled:\s*\S.*-->\s*$/.test(lines[previous] as string)) skipped.push(snippet);
    else snippets.push(snippet);
    index = end;
  }
  return { snippets, skipped };
}

/**
 * Type-checks the snippets, each as its own module of one consumer project in a temporary
 * directory: node_modules/priority-routing-crm links to `packageRoot` (its package.json `exports`
 * and built dist), every other package links to packageRoot's own node_modules. The compiler
 * options are packageRoot's tsconfig.json with the overrides above; `prelude` is a global .d.ts.
 */
export function checkSnippets(snippets: Snippet[], { packageRoot = repoRoot, prelude = PRELUDE }: { packageRoot?: string; prelude?: string } = {}): Failure[] {
  const manifest = JSON.parse(readFileSync(join(packageRoot, 'package.json'), 'utf8')) as { name: string };
  const project = mkdtempSync(join(tmpdir(), 'check-examples-'));
  try {
    const modules = join(project, 'node_modules');
    mkdirSync(modules);
    for (const item of readdirSync(join(packageRoot, 'node_modules'))) {
      if (item === '.bin' || item.startsWith('.') || item === manifest.name) continue;
      symlinkSync(join(packageRoot, 'node_modules', item), join(modules, item), 'dir');
    }
    symlinkSync(packageRoot, join(modules, manifest.name), 'dir');
    writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'check-examples-consumer', private: true, type: 'module' }));
    writeFileSync(join(project, 'prelude.d.ts'), prelude);
    const files = snippets.map((snippet, index) => {
      const path = join(project, `snippet-${index}.ts`);
      writeFileSync(path, `${snippet.code}\n`);
      return path;
    });
    const config = ts.readConfigFile(join(packageRoot, 'tsconfig.json'), ts.sys.readFile);
    const parsed = ts.parseJsonConfigFileContent(
      { compilerOptions: { ...(config.config as { compilerOptions: object }).compilerOptions, module: 'NodeNext', moduleResolution: 'NodeNext', moduleDetection: 'force', noEmit: true, skipLibCheck: false, types: ['node'] }, files: [join(project, 'prelude.d.ts'), ...files] },
      ts.sys,
      project,
    );
    const program = ts.createProgram(parsed.fileNames, parsed.options);
    const byFile = new Map(files.map((path, index) => [path, snippets[index] as Snippet]));
    const failures: Failure[] = [];
    for (const diagnostic of ts.getPreEmitDiagnostics(program)) {
      const message = ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n');
      const origin = diagnostic.file === undefined ? undefined : byFile.get(resolve(diagnostic.file.fileName));
      if (diagnostic.file !== undefined && origin !== undefined && diagnostic.start !== undefined) {
        const line = diagnostic.file.getLineAndCharacterOfPosition(diagnostic.start).line;
        failures.push({ file: origin.file, line: origin.line + line, symbol: origin.symbol, message });
      } else if (diagnostic.file !== undefined && isThirdParty(diagnostic.file.fileName, packageRoot)) {
        // skipLibCheck is off, so the declarations of packages a snippet imports are checked too;
        // a clash between two of the repo's dev dependencies (e.g. @types/koa and the hoisted
        // content-disposition) is not this package's to fix: shown, not failed.
        console.warn(`check-examples: warning (third-party types): ${relative(packageRoot, diagnostic.file.fileName)}: ${message}`);
      } else {
        const where = diagnostic.file === undefined ? '(options)' : relative(project, diagnostic.file.fileName);
        failures.push({ file: where, line: diagnostic.file !== undefined && diagnostic.start !== undefined ? lineOf(diagnostic.file, diagnostic.start) : 0, symbol: '(consumer project)', message });
      }
    }
    return failures;
  } finally {
    rmSync(project, { recursive: true, force: true });
  }
}

/** A declaration file of another package (not this package's own dist). */
function isThirdParty(fileName: string, packageRoot: string): boolean {
  const path = relative(packageRoot, resolve(fileName));
  return path.startsWith(`node_modules${sep}`) || path.split(sep).includes('node_modules');
}

function main() {
  const entries = publicEntries();
  const { snippets: examples, strays, unfenced } = extractExamples(repoRoot, entries);
  const guides = existsSync(join(repoRoot, 'docs')) ? readdirSync(join(repoRoot, 'docs')).filter((name) => name.endsWith('.md')).sort().map((name) => `docs/${name}`) : [];
  const markdown = ['README.md', ...guides].map((file) => extractMarkdown(file, readFileSync(join(repoRoot, file), 'utf8')));
  const readme = { snippets: markdown.flatMap((part) => part.snippets), skipped: markdown.flatMap((part) => part.skipped) };
  const failures = checkSnippets([...examples, ...readme.snippets]);
  for (const example of unfenced) failures.push({ ...example, symbol: '(example)', message: 'an @example needs a fenced ```ts block' });
  for (const stray of strays) failures.push({ ...stray, symbol: '(not a public export)', message: '@example on a declaration no public entry exports: examples belong on public exports' });
  for (const failure of failures) console.error(`${failure.file}:${failure.line} ${failure.symbol}: ${failure.message}`);
  const summary = `${examples.length} @example blocks of ${entries.length} entries, ${readme.snippets.length} ts blocks of ${markdown.length} markdown files (README.md${guides.map((guide) => `, ${guide}`).join('')}; ${readme.skipped.length} marked not-compiled)`;
  if (failures.length > 0) {
    console.error(`check-examples: ${failures.length} problem(s) in ${summary}`);
    process.exit(1);
  }
  console.log(`check-examples: ${summary} type-check`);
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) main();
