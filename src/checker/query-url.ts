import { findRefIdParameter } from '../contract/url-template.js';

/**
 * The customer URLs with a broken query, derived from the template.
 */
export interface QueryVariants {
  /** The `{refId}` parameter's value replaced by `email:x`. */
  malformed: string;
  /** The `{refId}` parameter left out; other parameters (a token) stay. */
  missing: string;
}

/**
 * Derives the malformed-query and missing-query URLs from a customer URL template, keeping every
 * other query parameter (a token, say) in place and in order. `undefined` when `{refId}` is not
 * in the query string (a path template), where those requests mean nothing.
 */
export function queryVariants(template: string): QueryVariants | undefined {
  const found = findRefIdParameter(template);
  if (found === undefined) return undefined;
  const { path, parameters, index, name } = found;
  const withParameters = (list: string[]) => (list.length === 0 ? path : `${path}?${list.join('&')}`);
  return {
    malformed: withParameters(parameters.map((parameter, i) => (i === index ? `${name}=email:x` : parameter))),
    missing: withParameters(parameters.filter((_, i) => i !== index)),
  };
}
