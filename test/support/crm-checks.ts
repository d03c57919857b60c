import { expect } from 'vitest';
import type { CrmRepository } from '../../src/crm/index.js';
import type { CustomerRecord } from '../../src/core/repository.js';
import { connectorOf, customer, signal } from './crm-suite.js';
import { type FakeCrm, type Fault, startFakeCrm } from './fake-crm.js';

/** A fake whose OAuth access tokens can all be made to expire (its API then answers 401). */
type ExpiringFake = FakeCrm & { expireTokens(): void };

/** What Hybrid Chat asks: `{ url: '/label' }` or a customer lookup. */
type Asked = { url: string };

/**
 * What every OAuth2 profile owes a burst after its token expired: `lookups` lookups that all met
 * the 401 are each answered (`answered`), by one new token, not one each.
 */
export async function expectOneRenewalForTheBurst(fake: ExpiringFake, repository: CrmRepository, lookup: () => unknown, answered: (record: CustomerRecord | null | undefined) => boolean, lookups = 20): Promise<void> {
  await repository.listLabels({ signal: signal() });
  const before = fake.count('token');
  fake.expireTokens();
  const found = (await Promise.all(Array.from({ length: lookups }, lookup))) as Array<CustomerRecord | null | undefined>;
  expect(found.every(answered)).toBe(true);
  expect(fake.count('token') - before).toBe(1);
}

/** A token the CRM keeps refusing (`route` answers `refusal` twice): a 502 after one renewal, not a loop; the log says `said`. */
export async function expectOneRenewalThen502(fake: FakeCrm, repository: CrmRepository, route: string, refusal: Fault, asked: Asked, said: string): Promise<void> {
  await repository.authenticate({ signal: signal() });
  const before = fake.count('token');
  fake.fault(route, refusal, 2);
  const { connector, lines } = connectorOf(repository);
  expect((await connector.handle(asked)).status).toBe(502);
  expect(fake.count('token') - before).toBe(1);
  expect(lines()).toContain(said);
}

/** `route` answers a redirect to another server: a 502 saying so, and the other server never called. */
export async function expectRedirectNotFollowed(fake: FakeCrm, route: string, to: { path: string; body: unknown }, repository: CrmRepository, asked: Asked): Promise<void> {
  const elsewhere = await startFakeCrm([{ name: 'any', method: 'GET', path: /.*/, handle: () => ({ status: 200, body: to.body }) }]);
  try {
    fake.fault(route, { kind: 'redirect', location: `${elsewhere.origin}${to.path}` });
    const { connector, lines } = connectorOf(repository);
    expect((await connector.handle(asked)).status).toBe(502);
    expect(elsewhere.received).toHaveLength(0);
    expect(lines()).toContain('redirect');
  } finally {
    await elsewhere.close();
  }
}

/** A wrong credential (`secret`): a 502 whose log says `said`, and neither the log nor the answer shows the credential. Returns both for more checks. */
export async function expectRefusedCredential(repository: CrmRepository, asked: Asked, said: string, secret: string): Promise<{ log: string; body: string }> {
  const { connector, lines } = connectorOf(repository);
  const response = await connector.handle(asked);
  expect(response.status).toBe(502);
  expect(lines()).toContain(said);
  expect(lines() + response.body!).not.toContain(secret);
  return { log: lines(), body: response.body! };
}

/** Hybrid Chat's lookup of `phone` through a connector over `repository`: a 200, whose customer it returns. */
export async function customerFound(repository: CrmRepository, phone: string): Promise<unknown> {
  const { connector } = connectorOf(repository);
  const response = await connector.handle(customer(phone));
  expect(response.status).toBe(200);
  return JSON.parse(response.body!);
}
