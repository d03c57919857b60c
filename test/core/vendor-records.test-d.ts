import { describe, expectTypeOf, it } from 'vitest';
import {
  createMemoryRepository,
  sampleCustomer,
  sampleLabels,
  type Customer,
  type CustomerRecord,
  type CustomerRepository,
  type Label,
  type LabelRecord,
} from '../../src/index.js';

// Records in the vendor's own types, as issue 9 point 2 lists them.
interface CrmCustomer extends Customer {
  nationalId: string;
}

class CustomerRow implements Customer {
  _id = 'c-1';
  labels: string[] = [];
  phone1 = '923001234567';
  phone2 = '';
  phone3 = '';
  phone4 = '';
  phone5 = '';
  first_name = '';
  last_name = '';
  email = '';
  created_by = '';
  updated_by = '';
  createdAt = '2020-06-18T09:32:53.823Z';
  updatedAt = '2020-06-18T09:32:53.823Z';
  __v = 0;
  nationalId = '42101-1234567-1';
}

type AliasCustomer = Customer & { nationalId: string; tier: 'gold' | 'silver' };

interface CrmLabel extends Label {
  internalCode: string;
}

/** Timestamps as pg, mysql2 and Prisma return them. */
type DriverCustomer = Omit<Customer, 'createdAt' | 'updatedAt'> & { createdAt: Date; updatedAt: Date; nationalId: string };

declare const crmCustomer: CrmCustomer;
declare const aliasCustomer: AliasCustomer;
declare const crmLabel: CrmLabel;
declare const driverCustomer: DriverCustomer;

describe('repository records in the vendor own types', () => {
  it('an interface extending Customer is a CustomerRecord, returned from findCustomerByPhone', () => {
    expectTypeOf<CrmCustomer>().toExtend<CustomerRecord>();
    const repository: CustomerRepository = {
      findCustomerByPhone: async (): Promise<CrmCustomer | null> => crmCustomer,
      listLabels: (): CrmLabel[] => [crmLabel],
    };
    expectTypeOf(repository).toExtend<CustomerRepository>();
  });

  it('a class implementing Customer is a CustomerRecord', () => {
    expectTypeOf<CustomerRow>().toExtend<CustomerRecord>();
    const repository: CustomerRepository = { findCustomerByPhone: () => new CustomerRow(), listLabels: () => sampleLabels };
    expectTypeOf(repository).toExtend<CustomerRepository>();
  });

  it('a type alias with extra fields is a CustomerRecord', () => {
    expectTypeOf<AliasCustomer>().toExtend<CustomerRecord>();
  });

  it('an object literal with extra fields is still accepted', () => {
    const record: CustomerRecord = { ...sampleCustomer, nationalId: '42101-1234567-1' };
    const label: LabelRecord = { ...sampleLabels[0]!, internalCode: 'G1' };
    expectTypeOf(record).toExtend<CustomerRecord>();
    expectTypeOf(label).toExtend<LabelRecord>();
  });

  it('createMemoryRepository takes interfaces, classes, aliases and Date timestamps', () => {
    createMemoryRepository({ customers: [crmCustomer, new CustomerRow(), aliasCustomer, driverCustomer], labels: [crmLabel] });
    const crmCustomers: CrmCustomer[] = [crmCustomer];
    const crmLabels: readonly CrmLabel[] = [crmLabel];
    expectTypeOf(createMemoryRepository({ customers: crmCustomers, labels: crmLabels }).customerCount).toEqualTypeOf<number>();
  });

  it('timestamps may be Dates, as database drivers return them', () => {
    expectTypeOf<DriverCustomer>().toExtend<CustomerRecord>();
    const label: LabelRecord = { ...sampleLabels[0]!, createdAt: new Date(), updatedAt: new Date() };
    expectTypeOf(label).toExtend<LabelRecord>();
  });

  it('a record missing a contract field is still refused', () => {
    const { created_by: _dropped, ...missing } = sampleCustomer;
    expectTypeOf(missing).not.toExtend<CustomerRecord>();
    // @ts-expect-error a number is not a timestamp
    const wrong: CustomerRecord = { ...sampleCustomer, createdAt: 1592472773823 };
    void wrong;
  });
});
