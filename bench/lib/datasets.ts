import type { Connector, Customer } from '../../src/index.js';
import { baselineIndex, generateCustomers } from './customers.js';
import { loadMain } from './library.js';

/** A generated population served both ways: by our connector and by the baseline's `Map`. */
export interface DataSet {
  size: number;
  customers: Customer[];
  connector: Connector;
  index: Map<string, Customer>;
}

const built = new Map<number, DataSet>();

/** The data set of `size` customers, built once per process (a million take seconds). */
export async function dataSet(size: number): Promise<DataSet> {
  let set = built.get(size);
  if (set === undefined) {
    const { createConnector, createMemoryRepository, sampleLabels } = await loadMain();
    const customers = generateCustomers(size, sampleLabels);
    const repository = createMemoryRepository({ customers, labels: sampleLabels });
    set = { size, customers, connector: createConnector({ repository }), index: baselineIndex(customers) };
    built.set(size, set);
  }
  return set;
}
