import { describe, expect, it } from 'vitest';
import { mysqlDigitsKey, normalMysqlKey, normalPostgresKey, postgresDigitsKey, type TableIndexes } from '../../src/repositories/sql/catalog-indexes.js';
import { missingIndex, plannedIndexes } from '../../src/repositories/sql/indexes.js';
import { parseSqlMapping } from '../../src/repositories/sql/mapping.js';

const mapping = parseSqlMapping({
  customers: { table: 'crm.contacts', id: 'id', phones: ['mobile'] },
  labels: { table: 'crm.tags', id: 'id', name: 'name' },
  customerLabels: { table: 'crm.contact_tags', customerId: 'contact_id', labelId: 'tag_id' },
});
const table = (indexes: TableIndexes['indexes'], generated: Array<[string, string]> = []): TableIndexes => ({ kind: 'table', indexes, generated: new Map(generated) });

// `db indexes` and `db check` recognise an index by what it indexes, in the spelling each
// catalog prints, never by its name.
describe('index keys by definition', () => {
  it.each([
    "regexp_replace(mobile, '[^0-9]'::text, ''::text, 'g'::text)",
    "regexp_replace((mobile)::text, '[^0-9]'::text, ''::text, 'g'::text)",
    'regexp_replace("mobile", \'[^0-9]\', \'\', \'g\')',
  ])('PostgreSQL: %s is the lookup on mobile', (printed) => {
    expect(normalPostgresKey(printed)).toBe(postgresDigitsKey('mobile'));
  });

  it('PostgreSQL: another column, another pattern or a lower() are not', () => {
    expect(normalPostgresKey("regexp_replace(phone, '[^0-9]'::text, ''::text, 'g'::text)")).not.toBe(postgresDigitsKey('mobile'));
    expect(normalPostgresKey("regexp_replace(mobile, '[^0-9+]'::text, ''::text, 'g'::text)")).not.toBe(postgresDigitsKey('mobile'));
    expect(normalPostgresKey('lower(mobile)')).not.toBe(postgresDigitsKey('mobile'));
  });

  it.each([
    // MariaDB's GENERATION_EXPRESSION of the column `db indexes` adds
    "regexp_replace(`mobile`,'[^0-9]','')",
    // MySQL 8's STATISTICS.EXPRESSION of the functional index `db indexes` creates
    "cast(regexp_replace(`mobile`,_utf8mb4'[^0-9]',_utf8mb4'') as char(64) charset utf8mb4)",
    'REGEXP_REPLACE(`Mobile`, \'[^0-9]\', \'\')',
  ])('MySQL/MariaDB: %s is the lookup on mobile', (printed) => {
    expect(normalMysqlKey(printed)).toBe(mysqlDigitsKey('mobile'));
  });

  it("skips the join table's index when any index leads with its customer column (a primary key), whatever its name", () => {
    const join = plannedIndexes('postgres', mapping).find((index) => index.key === 'customerLabels.customerId')!;
    expect(missingIndex('postgres', join, table([{ name: 'contact_tags_pkey', key: 'contact_id' }]))).toStrictEqual({ servedBy: 'contact_tags_pkey' });
    expect(missingIndex('postgres', join, table([{ name: 'by_tag', key: 'tag_id' }]))).toStrictEqual({ statement: join.statement });
  });

  it('MySQL 8: a functional index of any name serves; MariaDB: an unindexed generated digits column gets only the index', () => {
    const [mysqlPhone] = plannedIndexes('mysql', mapping);
    const functional = normalMysqlKey("cast(regexp_replace(`mobile`,_utf8mb4'[^0-9]',_utf8mb4'') as char(64) charset utf8mb4)");
    expect(missingIndex('mysql', mysqlPhone!, table([{ name: 'vendor_idx', key: functional }]))).toStrictEqual({ servedBy: 'vendor_idx' });
    const [mariaPhone] = plannedIndexes('mariadb', mapping);
    const generated = table([], [[mysqlDigitsKey('mobile'), 'mobile_clean']]);
    expect(missingIndex('mariadb', mariaPhone!, generated)).toStrictEqual({
      statement: 'ALTER TABLE `crm`.`contacts` ADD INDEX IF NOT EXISTS `prc_crm_contacts_mobile` (`mobile_clean`)',
    });
    expect(missingIndex('mariadb', mariaPhone!, table([{ name: 'vendor', key: 'mobile_clean' }], [[mysqlDigitsKey('mobile'), 'mobile_clean']]))).toStrictEqual({ servedBy: 'vendor' });
  });
});
