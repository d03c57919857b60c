/**
 * `serve` over a hostile repository, run as a child process by spawnServe({ entry:
 * STATUS_PAGE_FIXTURE }): every label name, colour and id is an HTML attack (the CRM's data is
 * as untrusted as a connector's answers). The phone 1111 finds a customer with all of them.
 */
import { runServe } from '../../src/cli/serve.js';
import { sampleCustomer } from '../../src/index.js';
import { BAD_COLOURS, HTML_ATTACKS } from '../checker/fixtures/html-attack.js';

const date = '2021-03-04T05:06:07.000Z';
const label = (_id: string, name: string, color_code: string) => ({ _id, name, color_code, created_by: '', updated_by: '', createdAt: date, updatedAt: date, __v: 0 });
const labels = [
  label('L-gold', 'Gold', '#3cb44b'),
  label('L-night', 'Night', '#101010'),
  ...HTML_ATTACKS.map((name, index) => label(`L-${index}`, name, BAD_COLOURS[index % BAD_COLOURS.length]!)),
];
const customer = { ...sampleCustomer, _id: HTML_ATTACKS[1]!, labels: ['L-gold', 'L-night', ...HTML_ATTACKS.map((_, index) => `L-${index}`), HTML_ATTACKS[0]!], phone1: '1111' };

process.exitCode = await runServe(process.argv.slice(2), {
  openRepository: async () => ({
    describe: `hostile repository ${HTML_ATTACKS[2]}`,
    repository: {
      findCustomerByPhone: (query) => (query.phone === '1111' ? customer : null),
      listLabels: () => labels,
    },
  }),
});
