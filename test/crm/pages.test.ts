import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { createConnector } from '../../src/index.js';
import { createCrmRepository, CrmResponseError } from '../../src/crm/index.js';
import { signal, useFakeCrm } from '../support/crm-suite.js';
import { startFakeCrm } from '../support/fake-crm.js';

/**
 * `labels.pages`, said in a profile file of a CRM that pages its tags by an opaque cursor
 * (`paging.next.after`, HubSpot's shape): no `more` condition, the list ends where an answer names
 * no next page. The fake pages its tags 2 at a time, as `per_page` asks.
 */
const profile = JSON.parse(readFileSync(new URL('./profiles/paged-crm.json', import.meta.url), 'utf8')) as Record<string, unknown>;
const TOKEN = 'paged-crm-token-7c1d';
const TAGS = ['Gold', 'Vip', 'Silver', 'Churn risk', 'Partner'].map((name, index) => ({ id: `t${index + 1}`, name, colour: '#3cb44b' }));

/** How the fake answers a page: as a CRM should, or with one of the faults a real one has. */
const state: { mode: 'ok' | 'same-cursor' | 'object-cursor'; tags: typeof TAGS } = { mode: 'ok', tags: TAGS };
const cursorOf = (offset: number) => Buffer.from(`offset:${offset}`).toString('base64url');

const crm = useFakeCrm(
  () =>
    startFakeCrm([
      {
        name: 'tags',
        method: 'GET',
        path: /^\/api\/tags$/,
        handle: ({ headers, query }) => {
          if (headers.authorization !== `Bearer ${TOKEN}`) return { status: 401, body: { error: 'unauthorized' } };
          const size = Number(query.get('per_page') ?? 10);
          const after = query.get('after');
          const offset = after === null ? 0 : Number(/^offset:(\d+)$/.exec(Buffer.from(after, 'base64url').toString())?.[1] ?? Number.NaN);
          if (Number.isNaN(offset)) return { status: 400, body: { error: 'bad cursor' } };
          const end = offset + size;
          const next = end < state.tags.length ? { after: state.mode === 'same-cursor' && offset > 0 ? after : state.mode === 'object-cursor' ? { offset: end } : cursorOf(end) } : undefined;
          return { status: 200, body: { results: state.tags.slice(offset, end), ...(next === undefined ? {} : { paging: { next } }) } };
        },
      },
    ]),
  {
    afterEach: () => {
      state.mode = 'ok';
      state.tags = TAGS;
    },
  },
);

const env = () => ({ PRC_CRM_BASE_URL: crm.origin, PRC_CRM_TOKEN: TOKEN });
const repositoryOf = (override: Record<string, unknown> = {}) => createCrmRepository({ profile: { ...profile, ...override }, env: env() });
const pagesAsked = () => crm.received.map((request) => request.query.get('after'));

describe('labels.pages: a label list read page by page, as a profile file says', () => {
  it('follows paging.next.after with after={next} until an answer names no next page: every label, in order, one request a page', async () => {
    const labels = await repositoryOf().listLabels({ signal: signal() });
    expect(labels.map((label) => label.name)).toStrictEqual(['Gold', 'Vip', 'Silver', 'Churn risk', 'Partner']);
    expect(pagesAsked()).toStrictEqual([null, cursorOf(2), cursorOf(4)]);
    expect(crm.received.every((request) => request.query.get('per_page') === '2')).toBe(true);
  });

  it('GET /label answers every label, not the first page', async () => {
    const connector = createConnector({ repository: repositoryOf() });
    const response = await connector.handle({ url: '/label' });
    expect(response.status).toBe(200);
    expect((JSON.parse(response.body!) as Array<{ name: string }>).map((label) => label.name)).toHaveLength(5);
  });

  it('one page when the first answer names no next page', async () => {
    state.tags = TAGS.slice(0, 2);
    expect(await repositoryOf().listLabels({ signal: signal() })).toHaveLength(2);
    expect(crm.received).toHaveLength(1);
  });

  it.each([
    ['a list longer than labels.pages.max', 'ok', { max: 2 }, /the label list goes on past 2 pages \(labels\.pages\.max\)/],
    ['the same cursor twice in a row', 'same-cursor', {}, /labels\.pages\.next \(paging\.next\.after\) gave "[\w-]+" twice in a row: the CRM does not move to the next page/],
    ['a cursor that is an object', 'object-cursor', {}, /labels\.pages\.next \(paging\.next\.after\): expected a page start \(a string or a number\), got object/],
  ] as const)('%s is a 502 naming the key, never a list cut short', async (_name, mode, pages, message) => {
    state.mode = mode;
    const base = profile.labels as { pages: Record<string, unknown> };
    const repository = repositoryOf({ labels: { ...base, pages: { ...base.pages, ...pages } } });
    await expect(repository.listLabels({ signal: signal() })).rejects.toThrow(message);
    await expect(repository.listLabels({ signal: signal() })).rejects.toBeInstanceOf(CrmResponseError);
  });

  it('a more condition that says another page follows while next finds nothing is a 502, not the end of the list', async () => {
    const base = profile.labels as { pages: Record<string, unknown> };
    const repository = repositoryOf({ labels: { ...base, pages: { ...base.pages, more: 'results', next: 'paging.next.cursor' } } });
    await expect(repository.listLabels({ signal: signal() })).rejects.toThrow(/labels\.pages\.more \(results\) says another page follows, but labels\.pages\.next \(paging\.next\.cursor\) finds where it starts nowhere in the answer/);
  });

  it('a wrong pages key is named when the profile loads', () => {
    const base = profile.labels as { pages: Record<string, unknown> };
    expect(() => repositoryOf({ labels: { ...base, pages: { ...base.pages, max: 1000 } } })).toThrow(/labels\.pages\.max: expected at most 100 pages/);
    expect(() => repositoryOf({ labels: { ...base, pages: { query: { after: '{next}' } } } })).toThrow(/labels\.pages\.next/);
  });
});
