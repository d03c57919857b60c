import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { createCrmRepository, CrmProfileError, paletteColor } from '../../src/crm/index.js';
import { connectorOf, useFakeCrm } from '../support/crm-suite.js';
import { startFakeCrm, tail } from '../support/fake-crm.js';

/**
 * The chained request (lookup.details) on a made-up CRM kept as a profile FILE: its search finds
 * only references ({ "ref": "p-1" }), and each person's record (number, tags, dates) needs
 * GET /api/people/{ref}.
 */
const profile = JSON.parse(readFileSync(new URL('./profiles/chained-crm.json', import.meta.url), 'utf8')) as Record<string, unknown>;
const TOKEN = 'chained-crm-token-5f2e';

interface Person { id: string; name: string; tel: string; tags: string[]; modified: string }
const person = (ref: string, tel: string, modified: string): Person => ({ id: ref, name: `Person ${ref}`, tel, tags: ['gold'], modified });

const state: { people: Person[]; gate?: { size: number; waiting: Array<() => void> }; delayMs: number; searchDelayMs: number; inFlight: number; mostInFlight: number } = {
  people: [],
  delayMs: 0,
  searchDelayMs: 0,
  inFlight: 0,
  mostInFlight: 0,
};
const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const crm = useFakeCrm(
  () =>
    startFakeCrm([
      {
        name: 'search',
        method: 'GET',
        path: /^\/api\/people\/search$/,
        handle: async ({ headers, query }) => {
          if (headers.authorization !== `Bearer ${TOKEN}`) return { status: 401, body: { error: 'unauthorized' } };
          await pause(state.searchDelayMs);
          // Loose, as CRM searches are: the last seven digits.
          const asked = tail(query.get('q') ?? '');
          return { status: 200, body: { matches: state.people.filter((one) => tail(one.tel) === asked).map((one) => ({ ref: one.id, shows: one.tel })) } };
        },
      },
      {
        name: 'person',
        method: 'GET',
        path: /^\/api\/people\/[^/]+$/,
        handle: async ({ headers, path }) => {
          if (headers.authorization !== `Bearer ${TOKEN}`) return { status: 401, body: { error: 'unauthorized' } };
          state.inFlight += 1;
          state.mostInFlight = Math.max(state.mostInFlight, state.inFlight);
          try {
            const gate = state.gate;
            if (gate !== undefined) {
              // Answers only once `size` requests are in at the same time: sent one after the other, they never are.
              await new Promise<void>((resolve) => {
                gate.waiting.push(resolve);
                if (gate.waiting.length >= gate.size) for (const release of gate.waiting) release();
              });
            }
            await pause(state.delayMs);
            const ref = decodeURIComponent(path.slice('/api/people/'.length));
            const found = state.people.find((one) => one.id === ref);
            return found === undefined ? { status: 404, body: { error: 'not_found' } } : { status: 200, body: { person: found } };
          } finally {
            state.inFlight -= 1;
          }
        },
      },
      {
        name: 'tags',
        method: 'GET',
        path: /^\/api\/tags$/,
        handle: () => ({ status: 200, body: { tags: [{ id: 't1', name: 'Gold', colour: 'green' }, { id: 't2', name: 'Vip', colour: 'Dark-Gray' }, { id: 't3', name: 'New', colour: '#123abc' }, { id: 't4', name: 'Odd', colour: 'teal' }] } }),
      },
    ]),
  {
    afterEach: () => {
      Object.assign(state, { people: [], gate: undefined, delayMs: 0, searchDelayMs: 0, inFlight: 0, mostInFlight: 0 });
    },
  },
);

const repositoryOf = (override: Record<string, unknown> = {}, timeoutMs?: number) =>
  createCrmRepository({ profile: { ...profile, ...override }, defaultCountry: 'PK', env: { PRC_CRM_BASE_URL: crm.origin, PRC_CRM_TOKEN: TOKEN }, ...(timeoutMs === undefined ? {} : { timeoutMs }) });
const lookup = (repository: ReturnType<typeof repositoryOf>, phone = '+923001234567') => repository.findCustomerByPhone({ phone, normalizedPhone: phone.replace(/\D/g, '') }, { signal: new AbortController().signal });
const detailPaths = () => crm.received.filter((request) => request.path !== '/api/people/search').map((request) => request.path);

describe('the chained request (lookup.details), on a profile file', () => {
  it("fetches each hit's record with {hit.ref} and maps that record: the search's hits alone have no number to verify", async () => {
    state.people = [person('p-1', '0300-1234567', '2026-01-01T00:00:00Z')];
    const found = await lookup(repositoryOf());
    expect(found).toMatchObject({ _id: 'p-1', first_name: 'Person p-1', phone1: '0300-1234567', labels: ['gold'] });
    const detail = crm.received.find((request) => request.path === '/api/people/p-1')!;
    // The lookup's placeholders work there too, and the credentials go with it.
    expect(Object.fromEntries(detail.query)).toStrictEqual({ view: 'full', asked: '+923001234567' });
    expect(detail.headers.authorization).toBe(`Bearer ${TOKEN}`);
  });

  it('fetches at most limits.maxDetails hits (the first ones; the next is never asked for), and answers the newest of them', async () => {
    state.people = ['p-1', 'p-2', 'p-3', 'p-4', 'p-5'].map((ref, index) => person(ref, '+923001234567', `2026-01-0${index + 1}T00:00:00Z`));
    const found = await lookup(repositoryOf());
    expect(detailPaths().sort()).toStrictEqual(['/api/people/p-1', '/api/people/p-2', '/api/people/p-3']);
    expect(found?._id).toBe('p-3');
  });

  it('fetches at most 5 hits when limits.maxDetails is not given', async () => {
    state.people = Array.from({ length: 8 }, (_, index) => person(`p-${index + 1}`, '+923001234567', '2026-01-01T00:00:00Z'));
    await lookup(repositoryOf({ limits: {} }));
    expect(detailPaths()).toHaveLength(5);
    expect(detailPaths()).not.toContain('/api/people/p-6');
  });

  it('with details.phones, a hit that does not show the asked number is not fetched: a near miss costs no request nor a place among maxDetails', async () => {
    state.people = [person('p-1', '+923331234567', '2026-01-01T00:00:00Z'), person('p-2', '+923001234567', '2026-01-01T00:00:00Z')];
    const lookupWith = (details: Record<string, unknown>) => ({ lookup: { ...(profile.lookup as object), details: { path: '/api/people/{hit.ref}', results: 'person', ...details } }, limits: { maxDetails: 1 } });
    expect((await lookup(repositoryOf(lookupWith({ phones: 'shows' }))))?._id).toBe('p-2');
    expect(detailPaths()).toStrictEqual(['/api/people/p-2']);
    // Without it, the near miss takes the one place.
    crm.reset();
    expect(await lookup(repositoryOf(lookupWith({})))).toBeNull();
    expect(detailPaths()).toStrictEqual(['/api/people/p-1']);
  });

  it('sends the detail requests in parallel', async () => {
    state.people = ['p-1', 'p-2', 'p-3'].map((ref) => person(ref, '+923001234567', '2026-01-01T00:00:00Z'));
    state.gate = { size: 3, waiting: [] };
    expect((await lookup(repositoryOf({}, 2000)))?._id).toBe('p-1');
    expect(state.mostInFlight).toBe(3);
  });

  it("the lookup's one timeout covers the search and the detail requests together: 504", async () => {
    state.people = [person('p-1', '+923001234567', '2026-01-01T00:00:00Z')];
    // Each fits in the timeout alone; together they do not.
    state.searchDelayMs = 300;
    state.delayMs = 300;
    const { connector } = connectorOf(repositoryOf({}, 450), 2000);
    expect((await connector.handle({ url: '/customer?query=phone:%2B923001234567' })).status).toBe(504);
  });

  it('a hit whose record is gone (404) is skipped: the other is answered, and none left is a 404', async () => {
    state.people = [person('p-1', '+923001234567', '2026-03-01T00:00:00Z'), person('p-2', '+923001234567', '2026-01-01T00:00:00Z')];
    crm.fault('person', { kind: 'status', status: 404, body: { error: 'not_found' } });
    expect((await lookup(repositoryOf()))?._id).toBeDefined();
    crm.fault('person', { kind: 'status', status: 404, body: { error: 'not_found' } }, 2);
    const { connector } = connectorOf(repositoryOf());
    expect((await connector.handle({ url: '/customer?query=phone:%2B923001234567' })).status).toBe(404);
  });

  it('a detail request that fails (5xx) fails the lookup as a failing search does: 500 naming it', async () => {
    state.people = [person('p-1', '+923001234567', '2026-01-01T00:00:00Z'), person('p-2', '+923001234567', '2026-01-01T00:00:00Z')];
    crm.fault('person', { kind: 'status', status: 500, body: { error: 'internal' } });
    const { connector, lines } = connectorOf(repositoryOf());
    expect((await connector.handle({ url: '/customer?query=phone:%2B923001234567' })).status).toBe(500);
    expect(lines()).toContain('customer details from');
    expect(lines()).toContain('HTTP 500 internal');
  });

  it("a hit's value is escaped and percent-encoded into the path: it cannot leave it", async () => {
    state.people = [person('../../admin?x=1#', '+923001234567', '2026-01-01T00:00:00Z')];
    const found = await lookup(repositoryOf({ lookup: { ...(profile.lookup as object), details: { path: '/api/people/{hit.ref}', results: 'person', escape: { "'": "''" } } } }));
    expect(found?._id).toBe('../../admin?x=1#');
    expect(detailPaths()).toStrictEqual(['/api/people/..%2F..%2Fadmin%3Fx%3D1%23']);
  });

  it('a hit without the placeholder value is a 502 naming lookup.details and the placeholder', async () => {
    const { connector, lines } = connectorOf(repositoryOf({ lookup: { ...(profile.lookup as object), details: { path: '/api/people/{hit.id}', results: 'person' } } }));
    state.people = [person('p-1', '+923001234567', '2026-01-01T00:00:00Z')];
    expect((await connector.handle({ url: '/customer?query=phone:%2B923001234567' })).status).toBe(502);
    expect(lines()).toContain('lookup.details ({hit.id}): search hit 1 has no text or number there');
    expect(detailPaths()).toStrictEqual([]);
  });

  it('a wrong key of details is named when the repository is created', () => {
    expect(() => repositoryOf({ lookup: { ...(profile.lookup as object), details: { path: '/api/people/{hit.ref}', result: 'person' } } })).toThrow(CrmProfileError);
    expect(() => repositoryOf({ lookup: { ...(profile.lookup as object), details: { path: '/api/people/{hit.ref}', results: 'person[' } } })).toThrow(/lookup\.details\.results: not a JMESPath expression/);
  });
});

describe('colour names (colorNames)', () => {
  it("turns a CRM's colour names into #RRGGBB (as written, else in any case); a #RRGGBB is kept; a name not in the map gets the palette", async () => {
    expect(() => repositoryOf({ colorNames: { teal: 'teal' } })).toThrow(/colorNames\.teal: expected a colour as #RRGGBB/);
    const named = await repositoryOf({ colorNames: { green: '#08a742', 'dark-gray': '#4d4d4d' } }).listLabels({ signal: new AbortController().signal });
    expect(named.map(({ name, color_code }) => [name, color_code])).toStrictEqual([
      ['Gold', '#08a742'],
      ['Vip', '#4d4d4d'],
      ['New', '#123abc'],
      ['Odd', paletteColor('Odd')],
    ]);
    // colors (by label id or name) still wins over the colour the CRM names.
    const chosen = await repositoryOf({ colorNames: { green: '#08a742', 'dark-gray': '#4d4d4d' }, colors: { Gold: '#ffe119' } }).listLabels({ signal: new AbortController().signal });
    expect(chosen.map(({ color_code }) => color_code).slice(0, 2)).toStrictEqual(['#ffe119', '#4d4d4d']);
  });
});
