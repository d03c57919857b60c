import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import Assembler from 'stream-json/assembler.js';
import parseFile from 'stream-json/file/parser.js';
import verifyFile from 'stream-json/file/verifier.js';
import type { ContractIssue } from '../../contract/index.js';
import type { CustomerRecord, LabelRecord } from '../../core/repository.js';
import type { MemoryDataSet } from '../../repositories/memory.js';
import { describeJsonSyntaxError } from '../json-error.js';
import { readJsonFile } from '../usage.js';

/** Files read as JSON Lines (one record per line) by their name; any other name is one JSON document. */
export const JSON_LINES_FILE = /\.(jsonl|ndjson)$/i;

/** A `--data` file read: the data set, and where in the file a record of it was (JSON Lines only). */
export interface DataFile {
  data: MemoryDataSet;
  /** `line 12` for the record an issue's path starts at (`customers[3]…`), when the file says. */
  locate: (issue: ContractIssue) => string | undefined;
}

type ToError = (message: string) => Error;

/**
 * Reads a `--data` file without ever holding it as one string, so a file of millions of
 * customers (past V8's ~1 GB string limit) loads with little more memory than the records
 * themselves: `.jsonl`/`.ndjson` line by line, any other file through a streaming JSON parser.
 * Every error names the file, and the line (and column) where the file went wrong.
 */
export async function readDataFile(file: string, toError: ToError): Promise<DataFile> {
  await readable(file, toError);
  return JSON_LINES_FILE.test(file) ? readJsonLines(file, toError) : readJsonDocument(file, toError);
}

/** A missing file, a folder, no permission: said exactly as for every other file option. */
async function readable(file: string, toError: ToError): Promise<void> {
  const isFile = await stat(file).then(
    (stats) => stats.isFile(),
    () => false,
  );
  // readJsonFile words the failure (ENOENT, EISDIR, EACCES…) as the other file options do; it
  // only reads the whole file when one appears between the two calls, which then loads as usual.
  if (!isFile) await readJsonFile(file, '--data', toError);
}

/** `{ "customers": [...], "labels": [...] }`, assembled from a token stream read in 64 KB blocks. */
async function readJsonDocument(file: string, toError: ToError): Promise<DataFile> {
  const assembler = new Assembler();
  let tokens = 0;
  try {
    for await (const token of parseFile({ packValues: true, streamValues: false })(file)) {
      // A string the parser cut from its 64 KB read block would keep the whole block alive: copy it.
      if (token.name === 'stringValue' && typeof token.value === 'string' && token.value.length > SHORT) token.value = own(token.value);
      assembler.consume(token);
      tokens += 1;
    }
  } catch (error) {
    throw await notJson(file, toError, tokens, (error as Error).message);
  }
  // The parser ends quietly at the end of a file cut short (`{"customers": [`) or holding only
  // white space; its verifier tells these apart. A whole value that is no data set (`null`) is
  // returned, for the data-set check to name.
  if (tokens === 0 || !assembler.done) {
    const failure = await notJson(file, toError, tokens);
    if (failure !== undefined) throw failure;
  }
  return { data: assembler.current as MemoryDataSet, locate: () => undefined };
}

/**
 * Where and why a `.json` file is not one JSON value (`undefined` when it is one and the parser
 * gave no error): the streaming parser knows no positions, so its verifier reads the file again.
 */
async function notJson(file: string, toError: ToError, tokens: number, parserMessage?: string): Promise<Error | undefined> {
  const where = await verifyFile(file).then(
    () => undefined,
    (failure: { line?: number; pos?: number; offset?: number; message?: string }) => failure,
  );
  if (where === undefined) return parserMessage === undefined ? undefined : toError(`--data ${file} is not valid JSON: ${parserMessage}`);
  const at = where.line === undefined ? '' : ` at line ${where.line}, column ${where.pos ?? 0}`;
  // Failing at the last byte: nothing but white space (no token read), or a value cut short.
  if (parserMessage === undefined && where.offset !== undefined && where.offset >= (await stat(file)).size) {
    return toError(`--data ${file} is not valid JSON: ${tokens === 0 ? 'the file is empty' : `it ends${at} before the JSON is complete (was it cut short?)`}`);
  }
  // "ERROR at 28 (1, 29): Verifier cannot parse input: unexpected characters": the position is said once.
  const reason = where.message?.replace(/^ERROR at \d+ \(\d+, \d+\): Verifier (cannot parse input: |has )?/, '') ?? parserMessage;
  return toError(`--data ${file} is not valid JSON${at}: ${reason}`);
}

/** V8 copies strings shorter than this when it slices them; longer ones point into their parent. */
const SHORT = 12;
const own = (text: string) => Buffer.from(text, 'utf8').toString('utf8');

const KINDS = { customer: 'customers', label: 'labels' } as const;

/**
 * JSON Lines: each line one object with one key, `{"customer": {...}}` or `{"label": {...}}`;
 * blank lines are skipped. The line of every record is kept, so a contract issue can name it.
 */
async function readJsonLines(file: string, toError: ToError): Promise<DataFile> {
  const customers: CustomerRecord[] = [];
  const labels: LabelRecord[] = [];
  const lines = { customers: [] as number[], labels: [] as number[] };
  const input = createReadStream(file, { encoding: 'utf8' });
  let number = 0;
  let failure: Error | undefined;
  try {
    for await (const raw of createInterface({ input, crlfDelay: Infinity })) {
      number += 1;
      const line = number === 1 && raw.charCodeAt(0) === 0xfeff ? raw.slice(1) : raw;
      if (line.trim() === '') continue;
      const entry = parseLine(line);
      if ('problem' in entry) {
        const problem = entry.problem ?? `not valid JSON at ${(await describeJsonSyntaxError(line)).replace(/^line 1, /, '')}`;
        failure = toError(`--data ${file} line ${number}: ${problem}`);
        break;
      }
      const kind = KINDS[entry.kind];
      (kind === 'customers' ? customers : labels).push(entry.record as CustomerRecord & LabelRecord);
      lines[kind].push(number);
    }
  } catch (error) {
    // A read failure, or a line longer than V8's longest string: still the file and the line.
    failure = toError(`--data ${file} line ${number + 1}: ${(error as Error).message}`);
  } finally {
    input.destroy();
  }
  if (failure !== undefined) throw failure;
  // As an empty .json file is: an export that wrote nothing must not start a connector that finds no one.
  if (customers.length === 0 && labels.length === 0) throw toError(`--data ${file} is empty: expected one {"customer": {…}} or {"label": {…}} per line`);
  const locate = (issue: ContractIssue) => {
    const [kind, index] = issue.segments ?? [];
    const line = (kind === 'customers' || kind === 'labels') && typeof index === 'number' ? lines[kind][index] : undefined;
    return line === undefined ? undefined : `line ${line}`;
  };
  return { data: { customers, labels }, locate };
}

/** One line's record, or what is wrong with it (`undefined`: not JSON, said by the caller without quoting the line). */
function parseLine(line: string): { kind: keyof typeof KINDS; record: unknown } | { problem: string | undefined } {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    // Never V8's message: it quotes the line, a customer's data.
    return { problem: undefined };
  }
  const keys = typeof value === 'object' && value !== null && !Array.isArray(value) ? Object.keys(value) : undefined;
  const kind = keys?.length === 1 ? keys[0] : undefined;
  if (kind !== 'customer' && kind !== 'label') {
    const got = keys === undefined ? (Array.isArray(value) ? 'an array' : JSON.stringify(value)) : `keys ${JSON.stringify(keys)}`;
    return { problem: `expected {"customer": {…}} or {"label": {…}}, got ${got.slice(0, 80)}` };
  }
  return { kind, record: (value as Record<string, unknown>)[kind] };
}
