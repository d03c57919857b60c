import { expect, it } from 'vitest';
import { sampleCustomer, sampleLabels } from '../../src/contract/index.js';
import { expectProblem } from '../support/problems.js';

/** The label `+923001234567` carries in the reference data set. */
const VIP_LABEL_ID = '5eeb3499de8126f6b26383d5';

/** How the adapter under test treats a path under its mount that is neither route. */
export interface ContractCaseOptions {
  /**
   * `problem`: the connector answers it with a problem+json 404 (handlers that own the mount).
   * `passed-on`: it reaches the framework's own 404 (middleware that uses `connector.matches`).
   */
  unknownPath: 'problem' | 'passed-on';
}

/** Asserts a 404 from the framework itself, not from the connector. */
export async function expectFrameworkNotFound(response: Response): Promise<void> {
  expect(response.status).toBe(404);
  expect(response.headers.get('content-type') ?? '').not.toMatch(/problem\+json/);
  await response.body?.cancel();
}

/**
 * Registers the contract cases every adapter must pass, against a connector serving the
 * reference data set at `baseUrl()`: the connector's base URL, mount included, without a
 * trailing slash (`http://127.0.0.1:1234/cim`). Call inside a `describe` that starts the server.
 */
export function contractCases(baseUrl: () => string, options: ContractCaseOptions): void {
  const get = (path: string, init?: RequestInit): Promise<Response> => fetch(`${baseUrl()}${path}`, init);

  it('answers the seed customer with exactly the contract body', async () => {
    const response = await get('/customer?query=phone:1111');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^application\/json/);
    expect(response.headers.get('cache-control')).toBe('no-store');
    expect(await response.json()).toStrictEqual(sampleCustomer);
  });

  it('finds the same customer whether + arrives raw, as %2B or as a space', async () => {
    const forms = ['phone:+923001234567', 'phone:%2B923001234567', 'phone:%20923001234567', 'phone:923001234567'];
    const bodies = await Promise.all(
      forms.map(async (query) => {
        const response = await get(`/customer?query=${query}`);
        expect(response.status, query).toBe(200);
        return (await response.json()) as { _id: string; labels: string[] };
      }),
    );
    expect(bodies[0]?.labels).toContain(VIP_LABEL_ID);
    for (const body of bodies) expect(body).toStrictEqual(bodies[0]);
  });

  it('answers 404 problem+json for a number no customer has', async () => {
    await expectProblem(await get('/customer?query=phone:5550000000'), 'customerNotFound');
  });

  it.each([
    ['no query', '/customer'],
    ['another prefix', '/customer?query=email:gold@example.com'],
    ['an empty number', '/customer?query=phone:'],
    ['a control character', '/customer?query=phone:11%0011'],
    ['a broken escape', '/customer?query=phone:%E0%A4%A'],
  ])('answers 400 problem+json for %s, then serves the next request', async (_name, path) => {
    await expectProblem(await get(path), 'invalidQuery');
    expect((await get('/customer?query=phone:1111')).status).toBe(200);
  });

  it('answers the label list with a strong ETag and 304 on If-None-Match', async () => {
    const response = await get('/label');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^application\/json/);
    expect(await response.json()).toStrictEqual(sampleLabels);
    const etag = response.headers.get('etag');
    expect(etag).toMatch(/^"[^"]+"$/);

    const revalidated = await get('/label', { headers: { 'if-none-match': etag ?? '' } });
    expect(revalidated.status).toBe(304);
    expect(revalidated.headers.get('etag')).toBe(etag);
    expect(await revalidated.text()).toBe('');
  });

  it('answers HEAD like GET without a body', async () => {
    for (const path of ['/customer?query=phone:1111', '/label']) {
      const [head, getResponse] = await Promise.all([get(path, { method: 'HEAD' }), get(path)]);
      expect(head.status, path).toBe(200);
      expect(head.headers.get('content-type')).toBe(getResponse.headers.get('content-type'));
      expect(await head.text()).toBe('');
    }
  });

  it.each(['POST', 'PUT', 'PATCH', 'DELETE'])('answers %s with 405 and Allow: GET, HEAD', async (method) => {
    const response = await get('/customer?query=phone:1111', { method, body: method === 'DELETE' ? null : '{}' });
    await expectProblem(response, 'methodNotAllowed');
    expect(response.headers.get('allow')).toBe('GET, HEAD');
  });

  if (options.unknownPath === 'problem') {
    it('answers 404 problem+json for an unknown path under its mount', async () => {
      await expectProblem(await get('/customers'), 'notFound');
    });
  } else {
    it("passes an unknown path under its mount on to the framework's own 404", async () => {
      await expectFrameworkNotFound(await get('/customers'));
    });
  }
}
