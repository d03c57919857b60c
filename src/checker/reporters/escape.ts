// The escaping every reporter shares (the text, JSON, JUnit and GitHub ones, and any new one):
// the character classes and escapes live in src/redaction/escape.ts, next to the masking that
// must know the same escaped forms.
import { escapeJsonText, escapeUnsafe, escapeXmlText } from '../../redaction/escape.js';

/**
 * Text fit for a terminal or a CI log: every control, C1, bidi and line-separator character
 * shown as its `\u001b` escape, so that a connector's answer can never write to the screen.
 *
 * @example
 * ```ts
 * import { escapeTerminal } from 'priority-routing-crm/testing';
 * escapeTerminal('\u001b[2Jgone'); // '\\u001b[2Jgone'
 * ```
 */
export const escapeTerminal = (text: string): string => escapeUnsafe(text);

/**
 * A multi-line text (a check's detail: its line breaks are the checker's own) as escaped lines.
 */
export const escapedLines = (text: string): string[] => text.split('\n').map(escapeTerminal);

/**
 * A finished report in `format` made fit for a terminal without changing what it says: a JSON
 * report's raw C1, bidi and line-separator characters as `\u009b` escapes (the same JSON value),
 * a JUnit report's as `&#x9b;` references (the same XML). Text reports escape as they are made.
 */
export function forTerminal(format: 'json' | 'junit' | 'html' | 'text', output: string): string {
  if (format === 'json') return escapeJsonText(output);
  // Character references mean the same to an XML and to an HTML parser.
  if (format === 'junit' || format === 'html') return escapeXmlText(output);
  return output;
}
