/**
 * A Next.js App Router route file: in a Next.js app it lives at `app/cim/[...path]/route.ts`,
 * so Hybrid Chat's URLs are `https://your.app/cim/customer?query=phone:{refId}` and
 * `https://your.app/cim/label`. Every method is exported so that the connector, not Next.js,
 * answers the ones it refuses (405 with `Allow: GET, HEAD`).
 */
// In your project: from 'priority-routing-crm/fetch'
import { createRouteHandlers } from '../../../../../src/adapters/fetch.js';
import { vendorRepository } from '../../../../vendor-crm.js';

export const { GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS } = createRouteHandlers({
  repository: vendorRepository,
  basePath: '/cim',
});
