/**
 * A stand-in for the bench process (test/bench/lifetime.test.ts): starts two children the way
 * the bench does, one talking over IPC with `bench/children/count-marks.ts` preloaded (as every
 * child counted under valgrind is) and one without IPC (as the start-up count's), both registered
 * with `endsWithBench`; prints `<ipc pid> <plain pid>` once both run, then waits to be killed
 * (`wait`) or throws (`crash`).
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { endsWithBench } from '../../bench/lib/lifetime.js';

const marks = fileURLToPath(new URL('../../bench/children/count-marks.ts', import.meta.url));
const idle = "process.send?.('up'); setInterval(() => {}, 1000)";
const counted = endsWithBench(spawn(process.execPath, ['--import', 'tsx', '--import', marks, '-e', idle], { stdio: ['ignore', 'ignore', 'inherit', 'ipc'] }));
const plain = endsWithBench(spawn(process.execPath, ['-e', idle], { stdio: 'ignore' }));
await once(counted, 'message');
process.stdout.write(`${counted.pid} ${plain.pid}\n`);
if (process.argv[2] === 'crash') setTimeout(() => {
  throw new Error('the bench crashed');
}, 100);
else setInterval(() => {}, 1000);
