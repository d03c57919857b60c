/**
 * `npx tsx bench/slowloris.ts [--sockets 1500] [--seconds 100] [--fd-limit 1024] [--root DIR]`:
 * starts `serve` (from DIR's src/cli/main.ts, default this checkout) under `ulimit -n`, opens
 * `--sockets` slowloris connections (a request line and one header, then a header every 5 s,
 * never the blank line), and while they are open asks GET /label once a second as an honest
 * client would. Prints how many sockets the server held, for how long, and what the honest
 * client got. For issue 20.7's before/after figures (run it with --root on a checkout of the old
 * code); not part of `npm run bench`: it takes up to --seconds.
 */
import { spawn } from 'node:child_process';
import { connect, type Socket } from 'node:net';
import { parseArgs } from 'node:util';

const { values } = parseArgs({
  options: {
    sockets: { type: 'string', default: '1500' },
    seconds: { type: 'string', default: '100' },
    'fd-limit': { type: 'string', default: '1024' },
    root: { type: 'string', default: new URL('../', import.meta.url).pathname },
  },
});
const sockets = Number(values.sockets);
const seconds = Number(values.seconds);
const main = new URL('src/cli/main.ts', `file://${values.root.endsWith('/') ? values.root : `${values.root}/`}`).pathname;

const child = spawn('bash', ['-c', `ulimit -n ${Number(values['fd-limit'])} && exec "$0" --import tsx "$1" serve --port 0 --log-format json --quiet`, process.execPath, main], {
  cwd: values.root,
  stdio: ['ignore', 'pipe', 'pipe'],
});
let out = '';
child.stdout.setEncoding('utf8').on('data', (chunk: string) => (out += chunk));
child.stderr.resume();
let port = 0;
while (port === 0) {
  const line = out.split('\n').find((text) => text.includes('"msg":"listening"'));
  if (line !== undefined) port = Number(new URL((JSON.parse(line) as { url: string }).url).port);
  else if (child.exitCode !== null) throw new Error(`serve exited ${child.exitCode}`);
  else await new Promise((resolve) => setTimeout(resolve, 50));
}

const started = Date.now();
const closedAt: number[] = [];
const open: Socket[] = [];
for (let index = 0; index < sockets; index += 1) {
  const socket = connect(port, '127.0.0.1');
  socket.on('error', () => {});
  // Read what the server sends (its 408), so that its close is seen when it happens.
  socket.resume();
  const opened = Date.now();
  socket.once('connect', () => socket.write('GET /label HTTP/1.1\r\nHost: 127.0.0.1\r\n'));
  socket.once('close', () => closedAt.push(Date.now() - opened));
  const drip = setInterval(() => (socket.destroyed ? clearInterval(drip) : socket.write('X-a: b\r\n')), 5000);
  socket.once('close', () => clearInterval(drip));
  open.push(socket);
  if (index % 100 === 99) await new Promise((resolve) => setTimeout(resolve, 20));
}

/** One honest GET /label on a new connection: its status, or how it failed. */
function honest(): Promise<string> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    let received = '';
    const timer = setTimeout(() => {
      socket.destroy();
      resolve('no answer in 2 s');
    }, 2000);
    socket.setEncoding('latin1').on('data', (chunk: string) => (received += chunk));
    socket.on('error', (error: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      resolve(error.code ?? 'error');
    });
    socket.once('close', () => {
      clearTimeout(timer);
      resolve(/^HTTP\/1\.1 (\d+)/.exec(received)?.[1] ?? 'closed without an answer');
    });
    socket.write('GET /label HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n');
  });
}

const timeline: string[] = [];
let firstServed: number | undefined;
while (Date.now() - started < seconds * 1000) {
  const second = Math.round((Date.now() - started) / 1000);
  const answer = await honest();
  if (answer === '200' && firstServed === undefined) firstServed = second;
  const held = sockets - closedAt.length;
  timeline.push(`${second}s held=${held} honest=${answer}`);
  if (held === 0 && firstServed !== undefined) break;
  await new Promise((resolve) => setTimeout(resolve, 1000));
}
for (const socket of open) socket.destroy();
child.kill('SIGKILL');
const sorted = [...closedAt].sort((a, b) => a - b);
const closedInASecond = sorted.filter((ms) => ms < 1000).length;
console.log(timeline.join('\n'));
console.log(
  JSON.stringify(
    {
      sockets,
      fdLimit: Number(values['fd-limit']),
      closedWithin1s: closedInASecond,
      heldLongest_s: sorted.length === 0 ? null : Math.round(sorted.at(-1)! / 100) / 10,
      stillHeldAtEnd: sockets - closedAt.length,
      honestFirstServed_s: firstServed ?? null,
    },
    null,
    2,
  ),
);
process.exit(0);
