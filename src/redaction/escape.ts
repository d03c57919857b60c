// C0 and C1 controls (ESC, CSI, OSC, BEL, CR, LF, NEL…), DEL, bidi embeddings, overrides and
// isolates, and the Unicode line and paragraph separators: each can move the cursor, recolour,
// retitle the window, reorder text or start a line that looks like the checker's own.
const TERMINAL_UNSAFE = /[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069\u2028\u2029]/gu;

// The same characters less those JSON.stringify escapes itself (C0) and the line feeds a
// document's own layout uses: what can still reach a terminal raw inside a JSON or XML text.
const RAW_IN_DOCUMENT = /[\r\u007f-\u009f\u202a-\u202e\u2066-\u2069\u2028\u2029]/gu;

const hex = (character: string) => character.charCodeAt(0).toString(16).padStart(4, '0');

/**
 * Text with every control, C1, bidi and line-separator character shown as its `\u001b` escape
 * (also the form JSON gives them), so that it cannot write to a terminal.
 */
export const escapeUnsafe = (text: string): string => text.replace(TERMINAL_UNSAFE, (character) => `\\u${hex(character)}`);

/**
 * A JSON text (from `JSON.stringify`) with the characters it may still carry raw (C1, DEL, bidi,
 * U+2028/U+2029) as `\u009b` escapes: the same JSON value, fit for a terminal. Outside strings
 * JSON has none of them, and inside one `\u009b` is the escape of that very character.
 */
export const escapeJsonText = (json: string): string => json.replace(RAW_IN_DOCUMENT, (character) => `\\u${hex(character)}`);

/**
 * An XML text with the same characters (and carriage returns) as character references
 * (`&#x9b;`): the same document to an XML parser, fit for a terminal.
 */
export const escapeXmlText = (xml: string): string => xml.replace(RAW_IN_DOCUMENT, (character) => `&#x${hex(character)};`);
