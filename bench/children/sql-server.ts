/**
 * The hand-written baseline over HTTP, in its own process: raw `node:http` answering
 * `GET /customer` with one `pg` query on the `db indexes` indexes (bench/lib/sql-baseline.ts).
 * Arguments: the PostgreSQL URL and the two qualified table names. Sends `{ port }` when
 * listening.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import pg from 'pg';
import { baselineLookup } from '../lib/sql-baseline.js';

const [url, contacts = 'crm.contacts', contactTags = 'crm.contact_tags'] = process.argv.slice(2);
const pool = new pg.Pool({ connectionString: url, max: 10 });
pool.on('error', () => {});
const lookup = baselineLookup('postgres', pool, { contacts, contact_tags: contactTags });

const server = createServer((req, res) => {
  lookup(req.url ?? '/').then(
    (answer) => {
      res.writeHead(answer.status, { 'content-type': 'application/json; charset=utf-8' });
      res.end(answer.body);
    },
    () => {
      res.writeHead(500).end();
    },
  );
});
await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
process.send?.({ port: (server.address() as AddressInfo).port });
