// Hover docs survive into the shipped declarations: a consumer file that imports the built
// package (dist/index.d.ts) is asked, through TypeScript's language service, for the quick info
// of `customer.phone1` and `label.color_code`; each must carry its field comment. Run after
// `npm run build` (.ci/run does).
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const declarations = join(root, 'dist', 'index.d.ts');
if (!existsSync(declarations)) {
  console.error(`check-hover-docs: ${declarations} is missing: run npm run build first`);
  process.exit(1);
}

const consumer = join(root, 'dist', '__hover-consumer.ts');
const source = `import type { Customer, Label } from './index.js';
declare const customer: Customer;
declare const label: Label;
customer.phone1;
customer.labels;
customer.createdAt;
label.color_code;
label.name;
`;
// What each field's hover must say, at least: words from its comment in src/contract.
const expected = [
  ['customer.phone1', /Hybrid Chat reads/],
  ['customer.labels', /label from\s+`?GET \/label/],
  ['customer.createdAt', /ISO 8601/],
  ['label.color_code', /#RRGGBB/],
  ['label.name', /matches it exactly/],
];

const options = { strict: true, module: ts.ModuleKind.NodeNext, moduleResolution: ts.ModuleResolutionKind.NodeNext, target: ts.ScriptTarget.ES2022, noEmit: true, skipLibCheck: false };
const host = {
  getScriptFileNames: () => [consumer],
  getScriptVersion: () => '1',
  getScriptSnapshot: (file) => {
    if (file === consumer) return ts.ScriptSnapshot.fromString(source);
    return existsSync(file) ? ts.ScriptSnapshot.fromString(readFileSync(file, 'utf8')) : undefined;
  },
  getCurrentDirectory: () => root,
  getCompilationSettings: () => options,
  getDefaultLibFileName: ts.getDefaultLibFilePath,
  fileExists: (file) => file === consumer || ts.sys.fileExists(file),
  readFile: (file) => (file === consumer ? source : ts.sys.readFile(file)),
  readDirectory: ts.sys.readDirectory,
  directoryExists: ts.sys.directoryExists,
  getDirectories: ts.sys.getDirectories,
};
const service = ts.createLanguageService(host, ts.createDocumentRegistry());

const problems = [];
const diagnostics = service.getSemanticDiagnostics(consumer);
for (const diagnostic of diagnostics) problems.push(`consumer does not type-check: ${ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n')}`);
for (const [access, pattern] of expected) {
  const position = source.indexOf(`${access};`) + access.length - 1;
  const info = service.getQuickInfoAtPosition(consumer, position);
  const docs = ts.displayPartsToString(info?.documentation ?? []);
  if (!pattern.test(docs)) problems.push(`hovering ${access} shows ${docs === '' ? 'no documentation' : JSON.stringify(docs)}, expected ${pattern}`);
  else console.log(`${access}: ${docs.split('\n')[0]}`);
}
if (problems.length > 0) {
  for (const problem of problems) console.error(`check-hover-docs: ${problem}`);
  process.exit(1);
}
console.log('check-hover-docs: field comments survive into dist/index.d.ts');
