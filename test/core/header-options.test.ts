import { describe, expect, it } from 'vitest';
import { basicAuth, bearerAuth, createConnector, createMemoryRepository, sampleDataSet } from '../../src/index.js';
import { serveConnector } from '../support/serve-connector.js';

const repository = createMemoryRepository(sampleDataSet);

describe('options that become header values are checked when the connector is created', () => {
  it.each([
    ['a NUL', 'no-cache\0', /^labelsCacheControl holds U\+0000,/],
    ['a line feed', 'no-cache\nSet-Cookie: a=b', /^labelsCacheControl holds U\+000A,/],
    ['a non-ASCII character', 'max-age=60 ™', /^labelsCacheControl holds U\+2122 \(™\),/],
    ['a Latin-1 character', 'max-age=é', /^labelsCacheControl holds U\+00E9 \(é\),/],
  ])('labelsCacheControl with %s: TypeError naming the option and the character', (_case, labelsCacheControl, message) => {
    expect(() => createConnector({ repository, labelsCacheControl })).toThrow(TypeError);
    expect(() => createConnector({ repository, labelsCacheControl })).toThrow(message);
  });

  it.each([
    ['bearerAuth', () => bearerAuth({ token: 't', realm: 'crm\r\nX-Injected: 1' }), /^bearerAuth: realm holds U\+000D,/],
    ['basicAuth', () => basicAuth({ username: 'u', password: 'p', realm: 'crm\n' }), /^basicAuth: realm holds U\+000A,/],
    ['bearerAuth (non-Latin-1)', () => bearerAuth({ token: 't', realm: 'crm €' }), /^bearerAuth: realm holds U\+20AC \(€\),/],
  ])('%s with a realm that cannot be a header value: TypeError naming the option and the character', (_name, make, message) => {
    expect(make).toThrow(TypeError);
    expect(make).toThrow(message);
  });

  it('accepts printable ASCII, quotes and tabs included, and sends it as given', async () => {
    const server = await serveConnector({
      repository,
      labelsCacheControl: 'public,\tmax-age=300',
      authenticate: bearerAuth({ token: 't', realm: 'the "crm" \\ realm' }),
    });
    try {
      const refused = await server.get('/label');
      expect(refused.headers.get('www-authenticate')).toBe('Bearer realm="the \\"crm\\" \\\\ realm"');
      const ok = await server.get('/label', { headers: { authorization: 'Bearer t' } });
      expect(ok.headers.get('cache-control')).toBe('public,\tmax-age=300');
    } finally {
      await server.close();
    }
  });
});
