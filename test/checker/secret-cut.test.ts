import { describe, expect, it } from 'vitest';
import { describeValue } from '../../src/contract/issues.js';
import { secretMasker } from '../../src/redaction/secrets.js';

// describeValue shortens a value to 60 characters before the report is masked: a token the
// connector echoed near the cut must not show its first characters.
describe('a secret cut short before masking', () => {
  const mask = secretMasker({ headers: { authorization: 'Bearer tok_9f8e7d6c5b4a' } });

  it('masks the start of a secret that ends at the cut', () => {
    const value = `${'x'.repeat(50)}tok_9f8e7d6c5b4a and more`;
    const message = `$.first_name is ${describeValue(value)}`;
    expect(message).toContain('tok_9f8e7d…');
    const masked = mask(message);
    expect(masked).not.toContain('tok_');
    expect(masked).toBe(`$.first_name is "${'x'.repeat(50)}***…"`);
  });

  it('in any case, and still masks whole secrets elsewhere in the text', () => {
    expect(mask('TOK_9F8E7D6C5B4A twice: TOK_9F8E…')).toBe('*** twice: ***…');
  });

  it('leaves text before a cut alone when it is not the start of a secret, or shorter than 4 characters', () => {
    expect(mask('a long sentence cut here…')).toBe('a long sentence cut here…');
    expect(mask('ends in tok…')).toBe('ends in tok…');
  });
});
