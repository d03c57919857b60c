import { sampleCustomer, sampleLabels } from '../contract/index.js';
import type { Customer } from '../contract/index.js';
import type { MemoryDataSet } from '../repositories/memory.js';

const GOLD = '5eeb3455de812695676383d2';
const SILVER = '5eeb3460de8126013d6383d3';
const PLATINUM = '5eeb348dde81262a576383d4';
const VIP = '5eeb3499de8126f6b26383d5';
const VVIP = '5eeb34a7de8126ea486383d6';
/** A label id that is in no label list: Hybrid Chat ignores it. */
const UNKNOWN_LABEL = '5eeb34ffde8126ffff6383ff';

const customer = (_id: string, first_name: string, labels: string[], phones: Partial<Customer>): Customer =>
  Object.freeze({
    ...sampleCustomer,
    _id,
    first_name,
    last_name: 'Sample',
    labels: Object.freeze(labels) as string[],
    phone1: '',
    ...phones,
  });

/**
 * The phone number of each customer in {@link sampleDataSet}, by what the customer demonstrates.
 * Ask for one with `GET /customer?query=phone:{number}`.
 *
 * @example
 * ```ts
 * import { samplePhones } from 'priority-routing-crm';
 * await fetch(`http://127.0.0.1:3000/customer?query=phone:${encodeURIComponent(samplePhones.vip)}`);
 * ```
 */
export const samplePhones = Object.freeze({
  /** The seed's customer `Gold`: phone `1111`, label Gold. */
  gold: '1111',
  /** `+923001234567`, label Vip: the number in international form, `+` and all. */
  vip: '+923001234567',
  /** Labels Silver, Gold and Vvip: priority is the highest of them (Vvip's weight). */
  severalLabels: '+441632960001',
  /** No label at all: priority 1. */
  noLabel: '2222',
  /** A label id that `GET /label` does not list (plus Silver): the unknown id adds nothing. */
  unknownLabel: '3333',
  /** Found by its second number, `phone3`; `phone1` holds another. */
  onPhone3: '+14155550123',
  /** Label `platinum ` (lower case, trailing space): never matches a routing label `Platinum`. */
  platinum: '4444',
});

/**
 * The reference connector's data: the seed's five labels and its sample customer, plus one
 * customer for each case a connector and a checker must handle. {@link samplePhones} names
 * their numbers.
 *
 * | phone | customer | labels | shows |
 * | --- | --- | --- | --- |
 * | `1111` | the seed's `Gold` | Gold | the seed's example, verbatim |
 * | `+923001234567` | `Vip Sample` | Vip | `+`, `%2B` and space forms of one number |
 * | `+441632960001` | `Several Sample` | Silver, Gold, Vvip | several labels: the highest weight wins |
 * | `2222` | `Nolabel Sample` | none | no label: priority 1 |
 * | `3333` | `Unknown Sample` | an unlisted id, Silver | an id not in the label list adds nothing |
 * | `+1 415 555 0100` (phone1), `+1-415-555-0123` (phone3) | `Phone3 Sample` | Gold | found by `phone3` (`phone:+14155550123`) |
 * | `4444` | `Platinum Sample` | `platinum ` | a label name that differs by case and a space |
 *
 * @example
 * ```ts
 * import { createConnector, createMemoryRepository, sampleDataSet } from 'priority-routing-crm';
 * const connector = createConnector({ repository: createMemoryRepository(sampleDataSet) });
 * ```
 */
export const sampleDataSet: Readonly<MemoryDataSet> = Object.freeze({
  labels: sampleLabels,
  customers: Object.freeze([
    sampleCustomer,
    customer('5f1a0c2ade81264f2c9a0001', 'Vip', [VIP], { phone1: samplePhones.vip }),
    customer('5f1a0c2ade81264f2c9a0002', 'Several', [SILVER, GOLD, VVIP], { phone1: samplePhones.severalLabels, email: 'several@example.com' }),
    customer('5f1a0c2ade81264f2c9a0003', 'Nolabel', [], { phone1: samplePhones.noLabel }),
    customer('5f1a0c2ade81264f2c9a0004', 'Unknown', [UNKNOWN_LABEL, SILVER], { phone1: samplePhones.unknownLabel }),
    customer('5f1a0c2ade81264f2c9a0005', 'Phone3', [GOLD], { phone1: '+1 415 555 0100', phone3: '+1-415-555-0123' }),
    customer('5f1a0c2ade81264f2c9a0006', 'Platinum', [PLATINUM], { phone1: samplePhones.platinum }),
  ]),
});
