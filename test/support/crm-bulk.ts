/**
 * Many customers in the CRM schema of sql-backends.ts, generated inside the database (fast even
 * for a million): customer `i` has a mobile `+92 3xx nnnnnnn`, every second one a national
 * `03xx-nnnnnnn` phone, every third a work phone, every fourth a label.
 */
import type { Engine } from './db-servers.js';

/** The E.164 digits of generated customer `i`'s mobile (`i` from 1). */
export const bulkMobileDigits = (i: number) => `92${300 + (i % 50)}${String(i).padStart(7, '0')}`;

/** SQL that adds `count` generated customers (and their labels) and refreshes the statistics. */
export function bulkCustomersSql(engine: Engine, tables: Record<'contacts' | 'contact_tags', string>, count: number): string {
  const n = Math.trunc(count);
  if (engine === 'postgres') {
    return `
      INSERT INTO ${tables.contacts} (mobile, phone, work_phone, first_name, last_name, email)
      SELECT '+92 ' || (300 + i % 50) || ' ' || lpad(i::text, 7, '0'),
             CASE WHEN i % 2 = 0 THEN '0' || (300 + i % 50) || '-' || lpad(i::text, 7, '0') END,
             CASE WHEN i % 3 = 0 THEN '0044 20 ' || lpad(i::text, 8, '0') END,
             'Customer' || i, 'Bench', 'c' || i || '@example.com'
      FROM generate_series(1, ${n}) AS i;
      INSERT INTO ${tables.contact_tags} SELECT id, 1 + id % 3 FROM ${tables.contacts} WHERE id % 4 = 0;
      ANALYZE ${tables.contacts}; ANALYZE ${tables.contact_tags}`;
  }
  // MariaDB's SEQUENCE engine: seq_1_to_N is a table of the numbers 1 to N.
  return `
    INSERT INTO ${tables.contacts} (mobile, phone, work_phone, first_name, last_name, email)
    SELECT CONCAT('+92 ', 300 + seq % 50, ' ', LPAD(seq, 7, '0')),
           IF(seq % 2 = 0, CONCAT('0', 300 + seq % 50, '-', LPAD(seq, 7, '0')), NULL),
           IF(seq % 3 = 0, CONCAT('0044 20 ', LPAD(seq, 8, '0')), NULL),
           CONCAT('Customer', seq), 'Bench', CONCAT('c', seq, '@example.com')
    FROM seq_1_to_${n};
    INSERT INTO ${tables.contact_tags} SELECT id, 1 + id % 3 FROM ${tables.contacts} WHERE id % 4 = 0;
    ANALYZE TABLE ${tables.contacts}, ${tables.contact_tags}`;
}
