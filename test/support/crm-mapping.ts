/** The tables of the CRM schema the SQL tests load (schema-qualified where the engine has schemas). */
export type CrmTables = Record<'contacts' | 'tags' | 'contact_tags', string>;

/** The mapping example over these tables, as a `--mapping` file would hold it. */
export function crmMappingFor(tables: CrmTables) {
  return {
    customers: {
      table: tables.contacts,
      id: 'id',
      phones: ['mobile', 'phone', 'work_phone'],
      firstName: 'first_name',
      lastName: 'last_name',
      email: 'email',
      createdAt: 'created_at',
      updatedAt: 'updated_at',
    },
    labels: { table: tables.tags, id: 'id', name: 'name', color: 'color', createdAt: 'created_at', updatedAt: 'updated_at' },
    customerLabels: { table: tables.contact_tags, customerId: 'contact_id', labelId: 'tag_id' },
  };
}
