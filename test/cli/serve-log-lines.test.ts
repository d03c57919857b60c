import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { batchLines } from '../../src/cli/serve/log-lines.js';

const nextTurn = () => new Promise((resolve) => setImmediate(resolve));

describe('batchLines', () => {
  it('writes the request lines of one turn of the event loop in one write, in order, at the end of the turn', async () => {
    const writes: string[] = [];
    const lines = batchLines((text) => void writes.push(text));
    lines.write('a\n');
    lines.write('b\n');
    expect(writes).toStrictEqual([]);
    await nextTurn();
    expect(writes).toStrictEqual(['a\nb\n']);
    lines.write('c\n');
    await nextTurn();
    expect(writes).toStrictEqual(['a\nb\n', 'c\n']);
  });

  it('flush writes what is pending at once, so a line that must not wait keeps its place after the lines before it', async () => {
    const writes: string[] = [];
    const lines = batchLines((text) => void writes.push(text));
    lines.write('request\n');
    lines.write('shutting down\n');
    lines.flush();
    expect(writes).toStrictEqual(['request\nshutting down\n']);
    await nextTurn();
    expect(writes).toHaveLength(1);
  });

  it('writes at once past 64 KiB pending, so a busy turn never holds much', () => {
    const writes: string[] = [];
    const lines = batchLines((text) => void writes.push(text));
    const line = `${'x'.repeat(1023)}\n`;
    for (let index = 0; index < 64; index++) lines.write(line);
    expect(writes).toHaveLength(1);
    expect(writes[0]).toHaveLength(64 * 1024);
  });

  it('writes the lines still pending when the process exits in the same turn', () => {
    const module = new URL('../../src/cli/serve/log-lines.ts', import.meta.url).pathname;
    const script = `const { batchLines } = await import(${JSON.stringify(module)}); const lines = batchLines((text) => process.stdout.write(text)); lines.write('one\\n'); lines.write('two\\n'); process.exit(3);`;
    const run = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { encoding: 'utf8' });
    expect(run.stderr).toBe('');
    expect(run.status).toBe(3);
    expect(run.stdout).toBe('one\ntwo\n');
  });
});
