import { anyAuth, apiKeyAuth, type Authenticate, basicAuth, bearerAuth, queryTokenAuth } from '../../core/auth.js';
import { MASK, type ConfigSources } from './config.js';
import type { ServeConfig } from './options.js';

/**
 * The configured credentials as one `authenticate` (any of them lets a request through), or
 * `undefined` when none is configured.
 */
export function authenticateFrom(config: ServeConfig): Authenticate | undefined {
  const methods: Authenticate[] = [];
  if (config.token !== undefined) methods.push(queryTokenAuth({ token: config.token }));
  if (config.basicAuth !== undefined) methods.push(basicAuth({ credentials: config.basicAuth }));
  if (config.bearerToken !== undefined) methods.push(bearerAuth({ token: config.bearerToken }));
  if (config.apiKey !== undefined) methods.push(apiKeyAuth({ key: config.apiKey }));
  if (methods.length === 0) return undefined;
  return methods.length === 1 ? methods[0] : anyAuth(...methods);
}

/** The where-from of a secret, for the banner: `PRC_TOKEN` or `--config site.json "token"`. */
const from = (sources: ConfigSources, key: 'token' | 'basicAuth' | 'bearerToken' | 'apiKey') => {
  const source = sources[key] ?? '';
  return source.startsWith('--config') ? `${source} "${key}"` : source;
};

/**
 * The two URLs Hybrid Chat is configured with, credentials in place but masked, and a note on
 * where the real values are. Query token and Basic credentials fit in the URLs; a bearer token
 * or API key needs a caller that sends headers.
 */
export function hybridChatUrls(
  config: ServeConfig,
  sources: ConfigSources,
  url: { origin: string; customer: string; label: string },
): { customerQueryUrl: string; labelsUrl: string; notes: string[] } {
  const basic = config.basicAuth?.[0];
  const origin = basic === undefined ? url.origin : url.origin.replace('://', `://${encodeURIComponent(basic.username)}:${MASK}@`);
  const token = config.token === undefined ? '' : `token=${MASK}`;
  const notes: string[] = [];
  if (config.token !== undefined) notes.push(`token masked: use the value of ${from(sources, 'token')}${config.token.length > 1 ? ' (any of its comma-separated tokens)' : ''}`);
  if (basic !== undefined) notes.push(`password masked: use the one for ${basic.username} in ${from(sources, 'basicAuth')}`);
  if (config.bearerToken !== undefined) notes.push(`callers may also send Authorization: Bearer <${from(sources, 'bearerToken')}>`);
  if (config.apiKey !== undefined) notes.push(`callers may also send x-api-key: <${from(sources, 'apiKey')}>`);
  return {
    customerQueryUrl: `${origin}${url.customer}?${token === '' ? '' : `${token}&`}query=phone:{refId}`,
    labelsUrl: `${origin}${url.label}${token === '' ? '' : `?${token}`}`,
    notes,
  };
}
