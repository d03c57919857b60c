import type { SuiteResult } from '../lib/report.js';
import { checker } from './checker.js';
import { crm } from './crm.js';
import { http } from './http.js';
import { inprocess } from './inprocess.js';
import { load } from './load.js';
import type { SuiteName } from './names.js';
import { resilience } from './resilience.js';
import { phone } from './phone.js';
import { scale } from './scale.js';
import { sql, sqlMariadb } from './sql.js';
import { startup } from './startup.js';
import { query } from './query.js';
import { readyz } from './readyz.js';
import { serve } from './serve.js';

/** Every suite by name; each takes the number of rounds. Loaded after `dist/` is built. */
export const suites: Record<SuiteName, (rounds: number) => Promise<SuiteResult>> = { inprocess, http, scale, startup, checker, query, resilience, phone, readyz, serve, crm, load, sql, 'sql-mariadb': sqlMariadb };
