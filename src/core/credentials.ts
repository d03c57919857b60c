import { type Answer, answer, type Trace } from './answer.js';
import type { Authenticate, AuthDecision } from './auth.js';
import { report } from './failures.js';
import { invalidHeaderCharacter } from './header-value.js';
import type { ConnectorRequest } from './http.js';
import type { Settings } from './options.js';
import { problemDetails, problemResponse } from './problems.js';

/**
 * The credentials step: `undefined` when `authenticate` lets the request through, otherwise the
 * answer that refuses it: 401 (with the challenge, if any), or 500 for an `authenticate` that
 * threw or returned a challenge that cannot be sent.
 */
export async function checkCredentials(
  request: ConnectorRequest,
  authenticate: Authenticate,
  settings: Settings,
  trace: Trace,
): Promise<Answer | undefined> {
  let decision: AuthDecision;
  try {
    decision = await authenticate(request);
  } catch (error) {
    return failedAuthenticate(error, settings, trace);
  }
  if (decision === true) return undefined;
  if (typeof decision !== 'object' || decision === null) return answer(problemResponse('unauthorized', problemDetails.unauthorized()), trace);
  // A challenge is computed per request, so it is checked per request: sent as is, a CR/LF or
  // non-Latin-1 character would make writeHead throw after the connector had answered.
  const challenge: unknown = decision.challenge;
  const bad = typeof challenge === 'string' ? invalidHeaderCharacter(challenge) : 'no string';
  if (bad !== undefined) {
    const error = new TypeError(`authenticate returned a challenge that cannot be sent in WWW-Authenticate (it holds ${bad})`);
    return failedAuthenticate(error, settings, trace);
  }
  return answer(problemResponse('unauthorized', problemDetails.unauthorized(), { 'www-authenticate': challenge as string }), trace);
}

function failedAuthenticate(error: unknown, settings: Settings, trace: Trace): Answer {
  report(settings, trace, { kind: 'exception', status: 500, error });
  return answer(problemResponse('internalError', problemDetails.internalError('authenticate')), trace);
}
