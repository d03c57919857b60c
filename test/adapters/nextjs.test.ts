import { describe, expect, it } from 'vitest';
import { serveLikeNext } from '../../examples/nextjs.js';
import * as route from '../../examples/nextjs/app/cim/[...path]/route.js';
import { createRouteHandlers } from '../../src/adapters/fetch.js';
import { vendorCases } from './app-cases.js';
import { expectProblem } from '../support/problems.js';
import { contractCases } from './contract-cases.js';
import { referenceRepository } from './reference.js';
import { startNode, useServer } from '../support/listen.js';

// Next.js itself is not installed: `serveLikeNext` calls the route export named after the method, as Next's app router does.
describe('Next.js-style route handlers: createRouteHandlers', () => {
  const server = useServer(() => startNode(serveLikeNext(createRouteHandlers({ repository: referenceRepository(), basePath: '/cim' }))));
  contractCases(() => `${server.origin()}/cim`, { unknownPath: 'problem' });

  it('exports every method, so the connector (not Next.js) answers OPTIONS with 405 and Allow', async () => {
    const response = await fetch(`${server.origin()}/cim/label`, { method: 'OPTIONS' });
    await expectProblem(response, 'methodNotAllowed');
    expect(response.headers.get('allow')).toBe('GET, HEAD');
  });
});

describe('Next.js example route file over the vendor data', () => {
  const server = useServer(() => startNode(serveLikeNext(route)));
  vendorCases(() => server.origin());
});
