import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import type { Label } from '../../src/index.js';
import { customerAt, labelSets } from './customers.js';

/** The two `--data` file formats `serve` reads. */
export type DataFormat = 'jsonl' | 'json';

/**
 * Writes `count` generated customers and `labels` to `file` as `serve --data` reads it, a chunk at
 * a time, so a file of millions (gigabytes) is written without holding it or its customers.
 */
export async function writeDataFile(file: string, format: DataFormat, count: number, labels: readonly Label[]): Promise<number> {
  const out = createWriteStream(file);
  const sets = labelSets(labels);
  const write = async (text: string) => {
    if (!out.write(text)) await once(out, 'drain');
  };
  const CHUNK = 10_000;
  if (format === 'jsonl') {
    await write(labels.map((label) => `${JSON.stringify({ label })}\n`).join(''));
    for (let start = 0; start < count; start += CHUNK) {
      let text = '';
      for (let index = start; index < Math.min(count, start + CHUNK); index++) text += `${JSON.stringify({ customer: customerAt(index, sets) })}\n`;
      await write(text);
    }
  } else {
    await write(`{"labels":${JSON.stringify(labels)},"customers":[`);
    for (let start = 0; start < count; start += CHUNK) {
      const chunk: string[] = [];
      for (let index = start; index < Math.min(count, start + CHUNK); index++) chunk.push(JSON.stringify(customerAt(index, sets)));
      await write(`${start === 0 ? '' : ','}${chunk.join(',')}`);
    }
    await write(']}\n');
  }
  out.end();
  await once(out, 'finish');
  return out.bytesWritten;
}
