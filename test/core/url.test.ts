import { describe, expect, it } from 'vitest';
import { decodeFormComponent, readQueryParam, splitUrl } from '../../src/core/url.js';
import { ifNoneMatchHits } from '../../src/core/etag.js';

describe('splitUrl', () => {
  it.each([
    ['/cim/customer?query=phone:1', { path: '/cim/customer', search: 'query=phone:1' }],
    ['/label', { path: '/label', search: '' }],
    ['/label#top', { path: '/label', search: '' }],
    ['/customer?query=1#frag', { path: '/customer', search: 'query=1' }],
    ['http://crm.example:8080/cim/label?token=x', { path: '/cim/label', search: 'token=x' }],
    ['https://crm.example', { path: '/', search: '' }],
    ['https://crm.example?query=1', { path: '/', search: 'query=1' }],
    ['*', { path: '*', search: '' }],
  ])('splits %j', (url, parts) => {
    expect(splitUrl(url)).toEqual(parts);
  });

  it('agrees with URL on the path and query of absolute URLs', () => {
    for (const url of ['http://a.b/c/d?e=f&g', 'http://a.b/c?', 'http://a.b/?x=%2B+y']) {
      const parsed = new URL(url);
      expect(splitUrl(url)).toEqual({ path: parsed.pathname, search: parsed.search.slice(1) });
    }
  });
});

describe('readQueryParam', () => {
  it.each([
    ['query=phone:+92300', { ok: true, value: 'phone: 92300' }],
    ['query=phone:%2B92300', { ok: true, value: 'phone:+92300' }],
    ['a=1&query=x&b', { ok: true, value: 'x' }],
    ['query', { ok: true, value: '' }],
    ['quer%79=x', { ok: true, value: 'x' }],
    ['queryx=1&xquery=2', { ok: false, reason: 'missing' }],
    ['', { ok: false, reason: 'missing' }],
    ['query=1&query=1', { ok: false, reason: 'repeated' }],
    ['query=1&qu%65ry=2', { ok: false, reason: 'repeated' }],
    ['query=%zz', { ok: false, reason: 'malformed' }],
    ['query=%C3%28', { ok: false, reason: 'malformed' }],
    ['%zz=1&query=ok', { ok: true, value: 'ok' }],
  ])('reads query from %j', (search, result) => {
    expect(readQueryParam(search, 'query')).toEqual(result);
  });

  it('decodes like URLSearchParams wherever the encoding is valid', () => {
    for (const value of ['a+b', '%2B1%20(2)', 'ü%C3%BC', 'phone:+92 300']) {
      expect(decodeFormComponent(value)).toBe(new URLSearchParams(`v=${value}`).get('v'));
    }
  });
});

describe('ifNoneMatchHits', () => {
  it.each([
    [undefined, false],
    ['"a"', true],
    ['W/"a"', true],
    ['"b", W/"a"', true],
    ['*', true],
    ['"b"', false],
    ['a', false],
  ])('%j against "a" is %s', (header, hit) => {
    expect(ifNoneMatchHits(header, '"a"')).toBe(hit);
  });
});
