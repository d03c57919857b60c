/**
 * `serve` over the memory repository (what `--data` and the sample data give it), run as a child
 * process by spawnServe({ entry: SERVE_MEMORY_FIXTURE }), with the Gold customer (`1111`) and the
 * first label changed after the repository validated them: a field the contract refuses. The
 * memory repository keeps its records as given, so a request that validates its answer again
 * sees the change (502), while one on the validated fast path sends it as is (200). Nothing in
 * src/ reads this file.
 */
import { runServe } from '../../src/cli/serve.js';
import { createMemoryRepository, sampleDataSet } from '../../src/index.js';

const data = structuredClone(sampleDataSet);
const repository = createMemoryRepository(data);
const gold = data.customers.find((customer) => customer.phone1 === '1111');
if (gold === undefined || data.labels[0] === undefined) throw new Error('the sample data has no customer 1111 or no label');
Object.assign(gold, { email: 12345 });
Object.assign(data.labels[0], { color_code: 42 });

process.exitCode = await runServe(process.argv.slice(2), {
  openRepository: async () => ({ describe: 'memory fixture', repository }),
});
