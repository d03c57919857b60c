// C0 and C1 controls (ESC, CSI, OSC, BEL, CR, LF, NEL…), DEL, bidi embeddings, overrides and
// isolates, and the Unicode line and paragraph separators: each can move the cursor, recolour,
// retitle the window, reorder text or start a line that looks like the checker's own.
const TERMINAL_UNSAFE = /[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069\u2028\u2029]/gu;

const visible = (character: string) => `\\u${character.charCodeAt(0).toString(16).padStart(4, '0')}`;

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
export const escapeTerminal = (text: string): string => text.replace(TERMINAL_UNSAFE, visible);

/**
 * A multi-line text (a check's detail: its line breaks are the checker's own) as escaped lines.
 */
export const escapedLines = (text: string): string[] => text.split('\n').map(escapeTerminal);
