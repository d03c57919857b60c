import { afterEach, describe, expect, it } from 'vitest';
import { expectProblem } from '../support/problems.js';
import { startJsonServe, stopServes } from '../support/serve-process.js';

afterEach(stopServes);

describe('serve --admin-port (issue 20.13)', () => {
  it('moves /healthz, /readyz and /metrics to their own port; on the connector port they are 401 like any other path without credentials', async () => {
    const { origin, listening } = await startJsonServe(['--port', '0', '--admin-port', '0', '--base-path', '/cim-7f3a'], { env: { PRC_TOKEN: 'tok' } });
    const admin = listening.admin as string;
    expect(admin).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(admin).not.toBe(origin);

    expect(await (await fetch(`${admin}/healthz`)).json()).toStrictEqual({ status: 'ok' });
    expect(await (await fetch(`${admin}/readyz`)).json()).toStrictEqual({ status: 'ready' });
    expect(await (await fetch(`${admin}/metrics`)).text()).toContain('prc_requests_total');
    // The admin port answers nothing else: the connector's routes are not there.
    const elsewhere = await expectProblem(await fetch(`${admin}/cim-7f3a/label?token=tok`), 'notFound');
    expect(JSON.parse(elsewhere).detail).toBe('This port answers GET /healthz, GET /readyz and GET /metrics.');

    for (const path of ['/healthz', '/readyz', '/metrics']) await expectProblem(await fetch(`${origin}${path}`), 'unauthorized');
    expect((await fetch(`${origin}/cim-7f3a/label?token=tok`)).status).toBe(200);
  });

  it('without it, the probes stay on the connector port, without credentials', async () => {
    const { origin, listening } = await startJsonServe(['--port', '0'], { env: { PRC_TOKEN: 'tok' } });
    expect(listening.admin).toBeUndefined();
    expect((await fetch(`${origin}/healthz`)).status).toBe(200);
    expect((await fetch(`${origin}/readyz`)).status).toBe(200);
    expect((await fetch(`${origin}/metrics`)).status).toBe(200);
  });
});
