import { OpenApiBuilder } from 'openapi3-ts/oas31';
import { openApiDocument } from './index.js';

const HEADER = '# Generated from the zod schemas by `npm run openapi`. Do not edit by hand.\n';

/**
 * The committed `openapi.yaml`: {@link openApiDocument} written as YAML by openapi3-ts (the
 * `yaml` library underneath), with a header saying where it comes from. Written as YAML 1.1 so
 * that strings a 1.1 reader would take for dates or booleans (`2020-06-18T09:32:53.823Z`) are
 * quoted, and every reader gets strings back.
 */
export function renderOpenApiYaml(): string {
  return HEADER + OpenApiBuilder.create(openApiDocument).getSpecAsYaml(undefined, { lineWidth: 0, version: '1.1' });
}
