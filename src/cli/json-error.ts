/** What was expected at the first error, by jsonc-parser's error code: words, never the file's text. */
const EXPECTED: Record<string, string> = {
  InvalidSymbol: 'expected a value (a string in double quotes, a number, true, false, null, an object or an array)',
  InvalidNumberFormat: 'expected a number',
  PropertyNameExpected: 'expected a property name in double quotes (no comma after the last property)',
  ValueExpected: 'expected a value (no comma after the last element)',
  ColonExpected: 'expected ":" after the property name',
  CommaExpected: 'expected "," between two properties or elements',
  CloseBraceExpected: 'expected "}" to close the object',
  CloseBracketExpected: 'expected "]" to close the array',
  EndOfFileExpected: 'expected the end of the file after the value',
  InvalidCommentToken: 'expected no comment (JSON has none)',
  UnexpectedEndOfComment: 'expected no comment (JSON has none)',
  UnexpectedEndOfString: 'expected the closing " of a string',
  UnexpectedEndOfNumber: 'expected a digit',
  InvalidUnicode: 'expected four hex digits after \\u',
  InvalidEscapeCharacter: 'expected an escape such as \\" \\\\ \\n or \\u0041 after \\',
  InvalidCharacter: 'expected no control character inside a string (write \\n or \\t)',
};

/** `line 3, column 12` (both from 1) of an offset in `text`. */
function position(text: string, offset: number): string {
  const before = text.slice(0, offset);
  const line = before.split('\n').length;
  return `line ${line}, column ${offset - before.lastIndexOf('\n')}`;
}

/**
 * Where the first syntax error of a JSON text is and what was expected there, for a text
 * `JSON.parse` refused. Never any part of the text: V8's own message quotes the input
 * (`Unexpected token 's', "{"token": s3cret}" is not valid JSON`), and the file may hold a
 * secret. jsonc-parser (strict: no comments, no trailing commas) finds the position; it is loaded
 * only on this error path.
 */
export async function describeJsonSyntaxError(text: string): Promise<string> {
  const { parse, printParseErrorCode } = await import('jsonc-parser');
  const errors: { error: number; offset: number }[] = [];
  parse(text, errors as never, { disallowComments: true, allowTrailingComma: false, allowEmptyContent: false });
  const first = errors[0];
  if (first === undefined) return text.trim() === '' ? 'the file is empty; expected a JSON value' : 'not valid JSON';
  const code = printParseErrorCode(first.error as Parameters<typeof printParseErrorCode>[0]);
  return `${position(text, first.offset)}: ${EXPECTED[code] ?? 'not valid JSON here'}`;
}
