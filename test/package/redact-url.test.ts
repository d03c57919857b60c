import { describe, expect, it } from 'vitest';
import { redactUrl } from '../../src/index.js';

// The first release exported redactUrl from the root and its README told users to call it before
// logging a connector URL: the root keeps it, with the same masking rule the checker uses.
describe('redactUrl from priority-routing-crm', () => {
  it('masks every query value but the phone parameter, and the password of the user info', () => {
    expect(redactUrl('https://crm:s3cret@crm.example.com/customer?query=phone:{refId}&token=abc')).toBe(
      'https://crm:***@crm.example.com/customer?query=phone:{refId}&token=***',
    );
  });

  it('keeps the parameters named in keep, masks everything with keep: [], and shows all with showSecrets', () => {
    const url = 'https://crm.example.com/label?tenant=acme&key=abc';
    expect(redactUrl(url, { keep: 'tenant' })).toBe('https://crm.example.com/label?tenant=acme&key=***');
    expect(redactUrl(url, { keep: [] })).toBe('https://crm.example.com/label?tenant=***&key=***');
    expect(redactUrl(url, { showSecrets: true })).toBe(url);
  });

  it('masks a template the URL parser refuses as written', () => {
    expect(redactUrl('crm.example.com/customer?q={refId}&api_key=abc')).toBe('crm.example.com/customer?q={refId}&api_key=***');
  });
});
