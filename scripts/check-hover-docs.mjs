// Hover docs survive into the shipped declarations: a consumer file is asked, through
// TypeScript's language service as an editor would, for the quick info of fields of a record in
// the vendor's own type (an interface extending Customer), of a Label and of the query a
// repository is called with; each must carry its field comment from src/contract.
//
//   node scripts/check-hover-docs.mjs                     the build in dist/ (after npm run build)
//   node scripts/check-hover-docs.mjs --consumer <dir>    a project that installed the packed
//                                                         tarball (scripts/check-zod-floor.sh)
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import ts from 'typescript';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const { values } = parseArgs({ options: { consumer: { type: 'string' } } });
const directory = values.consumer === undefined ? join(root, 'dist') : resolve(values.consumer);
const specifier = values.consumer === undefined ? './index.js' : 'priority-routing-crm';
const target = values.consumer === undefined ? 'dist/index.d.ts' : `the package installed in ${directory}`;
if (values.consumer === undefined && !existsSync(join(directory, 'index.d.ts'))) {
  console.error(`check-hover-docs: ${join(directory, 'index.d.ts')} is missing: run npm run build first`);
  process.exit(1);
}

const consumer = join(directory, '__hover-consumer.ts');
const source = `import type { Customer, CustomerRepository, Label } from '${specifier}';
interface CrmCustomer extends Customer {
  nationalId: string;
}
declare const customer: CrmCustomer;
declare const label: Label;
customer.phone1;
customer.labels;
customer.createdAt;
label.color_code;
label.name;
export const repository: CustomerRepository = {
  findCustomerByPhone(query) {
    query.normalizedPhone;
    query.phoneKeys;
    return null;
  },
  listLabels: () => [],
};
`;
// What each field's hover must say, at least: words from its comment in src/contract.
const expected = [
  ['customer.phone1', /Hybrid Chat reads/],
  ['customer.labels', /label from\s+`?GET \/label/],
  ['customer.createdAt', /ISO 8601/],
  ['label.color_code', /#RRGGBB/],
  ['label.name', /matches it exactly/],
  // The query a repository is called with, as its author reads it inside findCustomerByPhone.
  ['query.normalizedPhone', /reduced to its digits[\s\S]*phoneKeys/],
  ['query.phoneKeys', /Every digit spelling[\s\S]*0300-1234567/],
];

const options = { strict: true, module: ts.ModuleKind.NodeNext, moduleResolution: ts.ModuleResolutionKind.NodeNext, target: ts.ScriptTarget.ES2022, noEmit: true, skipLibCheck: false };
const host = {
  getScriptFileNames: () => [consumer],
  getScriptVersion: () => '1',
  getScriptSnapshot: (file) => {
    if (file === consumer) return ts.ScriptSnapshot.fromString(source);
    return existsSync(file) ? ts.ScriptSnapshot.fromString(readFileSync(file, 'utf8')) : undefined;
  },
  getCurrentDirectory: () => directory,
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
console.log(`check-hover-docs: field comments survive into ${target}`);
