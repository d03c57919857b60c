import * as z from 'zod';
import { documented } from './registry.js';

/**
 * An error body, `application/problem+json` as RFC 9457 defines it. The contract requires
 * `type`, `title`, `status` and `detail`; `instance` and extension members are allowed and kept.
 *
 * @example
 * ```ts
 * import { ProblemSchema } from 'priority-routing-crm';
 * const problem = ProblemSchema.parse({ type: 'about:blank', title: 'Not Found', status: 404, detail: 'No customer has that phone number.' });
 * ```
 */
export const ProblemSchema = documented(
  z.looseObject({
    /** A URI reference that names the problem type; `about:blank` when the status says it all. */
    type: documented(z.string().min(1), {
      description: 'A URI reference naming the problem type; "about:blank" when the status code says it all.',
      examples: ['tag:priority-routing-crm,2026:problem/customer-not-found'],
    }),
    /** A short summary of the problem type, the same for every occurrence. */
    title: documented(z.string().min(1), {
      description: 'A short, human-readable summary of the problem type.',
      examples: ['Customer not found'],
    }),
    /** The HTTP status code of this response. */
    status: documented(z.int().min(100).max(599), { description: 'The HTTP status code.', examples: [404] }),
    /** What went wrong in this occurrence, for a person; never internals of the CRM. */
    detail: documented(z.string(), {
      description: 'What went wrong in this occurrence, for a person. Never a stack trace, query text or CRM internals.',
      examples: ['No customer has the phone number given in query.'],
    }),
    /** A URI reference that identifies this occurrence. */
    instance: documented(z.string().optional(), {
      description: 'A URI reference identifying this occurrence.',
    }),
  }),
  {
    id: 'Problem',
    title: 'Problem',
    description: 'An RFC 9457 problem details object, sent as application/problem+json for every error.',
  },
);
