/**
 * A stand-in for a CRM vendor's own data: its tables have their own shapes, not the contract's.
 * `vendorRepository` is all a vendor writes: two functions that read those tables and answer in
 * the contract's shape. Every example in this folder mounts it.
 */
// In your project: from 'priority-routing-crm'
import type { Customer, CustomerRepository, Label } from '../src/index.js';

/** A row of the vendor's contacts table. */
interface ContactRow {
  id: string;
  givenName: string;
  familyName: string;
  mobile: string;
  landline: string | null;
  email: string | null;
  tierIds: string[];
  nationalId: string; // never leaves the CRM: the connector sends the contract's fields only
  createdAt: Date;
  updatedAt: Date;
}

/** A row of the vendor's tiers table: Hybrid Chat calls these labels. */
interface TierRow {
  id: string;
  title: string;
  colour: string;
  createdAt: Date;
}

const created = new Date('2024-01-15T08:00:00.000Z');

const tiers: TierRow[] = [
  { id: 'tier-gold', title: 'Gold', colour: '#3cb44b', createdAt: created },
  { id: 'tier-vip', title: 'Vip', colour: '#f032e6', createdAt: created },
];

const contacts: ContactRow[] = [
  {
    id: 'c-1001',
    givenName: 'Amina',
    familyName: 'Khan',
    mobile: '+92 300 1234567',
    landline: null,
    email: 'amina@example.com',
    tierIds: ['tier-vip'],
    nationalId: '35202-0000000-0',
    createdAt: created,
    updatedAt: created,
  },
];

const digits = (phone: string): string => phone.replace(/\D/g, '');

const toCustomer = (row: ContactRow): Customer => ({
  _id: row.id,
  labels: row.tierIds,
  phone1: row.mobile,
  phone2: row.landline ?? '',
  phone3: '',
  phone4: '',
  phone5: '',
  first_name: row.givenName,
  last_name: row.familyName,
  email: row.email ?? '',
  created_by: '',
  updated_by: '',
  createdAt: row.createdAt.toISOString(),
  updatedAt: row.updatedAt.toISOString(),
  __v: 0,
});

const toLabel = (row: TierRow): Label => ({
  _id: row.id,
  name: row.title,
  color_code: row.colour,
  created_by: '',
  updated_by: '',
  createdAt: row.createdAt.toISOString(),
  updatedAt: row.createdAt.toISOString(),
  __v: 0,
});

/**
 * The vendor's repository: a lookup by the phone's digits and the list of tiers. A real one
 * queries its database here (passing `signal` on so that a timed-out request stops the query).
 */
export const vendorRepository: CustomerRepository = {
  findCustomerByPhone({ normalizedPhone }) {
    const row = contacts.find((contact) => [contact.mobile, contact.landline ?? ''].some((phone) => digits(phone) === normalizedPhone));
    return row && toCustomer(row);
  },
  listLabels: () => tiers.map(toLabel),
};
