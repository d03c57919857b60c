import { readFileSync } from 'node:fs';
import { Validator } from '@seriousme/openapi-schema-validator';
import Ajv2020 from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { createOpenApiDocument, openApiDocument } from '../../src/openapi/index.js';
import { renderOpenApiYaml } from '../../src/openapi/yaml.js';
import { ProblemSchema, problemTypes, sampleCustomer, sampleLabels } from '../../src/index.js';

const committedYaml = readFileSync(new URL('../../openapi.yaml', import.meta.url), 'utf8');
const document = openApiDocument as any;

/** An Ajv 2020-12 validator that resolves the document's `#/components/schemas/…` refs. */
function jsonSchemaValidator(id: string) {
  const ajv = new Ajv2020({ strict: false, allErrors: true });
  (addFormats as unknown as (ajv: Ajv2020) => void)(ajv);
  ajv.addSchema({ $id: 'doc', components: document.components });
  return ajv.compile({ $ref: `doc#/components/schemas/${id}` });
}

describe('openapi.yaml', () => {
  it('is exactly what the code generates (run `npm run openapi` after changing the schemas)', () => {
    expect(committedYaml).toBe(renderOpenApiYaml());
  });

  it('parses back to the exported document, every string a string', () => {
    expect(parse(committedYaml)).toEqual(JSON.parse(JSON.stringify(openApiDocument)));
  });
});

describe('openApiDocument', () => {
  it('is a valid OpenAPI 3.1 document for an independent validator', async () => {
    const result = await new Validator().validate(JSON.parse(JSON.stringify(openApiDocument)));
    expect(result.errors).toBeUndefined();
    expect(result.valid).toBe(true);
  });

  it('references Customer, Label and Problem from components.schemas', () => {
    expect(document.openapi).toBe('3.1.0');
    expect(document.jsonSchemaDialect).toBe('https://json-schema.org/draft/2020-12/schema');
    expect(Object.keys(document.components.schemas)).toEqual(expect.arrayContaining(['Customer', 'Label', 'LabelList', 'Problem']));
    const customer = document.paths['/customer'].get;
    const labels = document.paths['/label'].get;
    expect(customer.responses['200'].content['application/json'].schema).toEqual({ $ref: '#/components/schemas/Customer' });
    expect(labels.responses['200'].content['application/json'].schema).toEqual({ $ref: '#/components/schemas/LabelList' });
    expect(document.components.schemas.LabelList.items).toEqual({ $ref: '#/components/schemas/Label' });
    expect(document.components.responses.NotFound.content['application/problem+json'].schema).toEqual({
      $ref: '#/components/schemas/Problem',
    });
  });

  it('documents every status code of the contract with problem+json bodies', () => {
    const statuses = (operation: any) => Object.keys(operation.responses).sort();
    expect(statuses(document.paths['/customer'].get)).toEqual(['200', '400', '401', '404', '500', '502', '503', '504']);
    expect(statuses(document.paths['/label'].get)).toEqual(['200', '304', '401', '500', '502', '503', '504']);
    for (const [name, response] of Object.entries<any>(document.components.responses)) {
      expect(Object.keys(response.content), name).toEqual(['application/problem+json']);
      for (const example of Object.values<any>(response.content['application/problem+json'].examples)) {
        expect(ProblemSchema.parse(example.value).status, name).toBeGreaterThanOrEqual(400);
        expect(Object.values(problemTypes)).toContain(example.value.type);
      }
    }
    expect(document.components.responses.MethodNotAllowed.headers).toHaveProperty('Allow');
    expect(document.components.responses.Unauthorized.headers).toHaveProperty('WWW-Authenticate');
  });

  it('describes the query parameter with its pattern and examples', () => {
    const [query] = document.paths['/customer'].get.parameters;
    expect(query).toMatchObject({ name: 'query', in: 'query', required: true });
    expect(Object.values<any>(query.examples).map((example) => example.value)).toEqual(['phone:1111', 'phone:+923001234567']);
    const pattern = new RegExp(query.schema.pattern, 'u');
    const accepts = (q: string) => pattern.test(q) && q.length <= query.schema.maxLength;
    expect(['phone:1111', 'phone:+923001234567', 'phone: 923001234567'].every(accepts)).toBe(true);
    expect(['email:x', 'phone:', `phone:${'1'.repeat(65)}`, 'phone:1\u0000', 'phone:abc1111'].some(accepts)).toBe(false);
  });

  it('takes its response examples from the samples', () => {
    expect(document.paths['/customer'].get.responses['200'].content['application/json'].example).toEqual(sampleCustomer);
    expect(document.paths['/label'].get.responses['200'].content['application/json'].example).toEqual(sampleLabels);
  });

  it('has component schemas that accept the samples and reject what zod rejects', () => {
    const customer = jsonSchemaValidator('Customer');
    const labelList = jsonSchemaValidator('LabelList');
    expect(customer(sampleCustomer)).toBe(true);
    expect(customer({ ...sampleCustomer, extra: 'allowed' })).toBe(true);
    expect(labelList(sampleLabels)).toBe(true);
    expect(customer({ ...sampleCustomer, createdAt: '18/06/2020' })).toBe(false);
    expect(customer({ ...sampleCustomer, __v: -1 })).toBe(false);
    const { phone1: _phone1, ...withoutPhone } = sampleCustomer;
    expect(customer(withoutPhone)).toBe(false);
    expect(labelList([{ ...sampleLabels[0], color_code: 'red' }])).toBe(false);
  });

  it('models only GET and HEAD as operations; refused methods are described, not documented', () => {
    for (const path of ['/customer', '/label']) {
      expect(Object.keys(document.paths[path]).sort()).toEqual(['get', 'head']);
      expect(document.paths[path].get.description).toContain('Every other method gets 405 with Allow: GET, HEAD');
      const head = document.paths[path].head;
      expect(Object.keys(head.responses)).toEqual(Object.keys(document.paths[path].get.responses));
      for (const response of Object.values<any>(head.responses)) expect(response).not.toHaveProperty('content');
    }
    expect(document.components.responses.MethodNotAllowed.headers).toHaveProperty('Allow');
  });

  it('takes the server URL from createOpenApiDocument', () => {
    expect(createOpenApiDocument({ serverUrl: 'https://crm.example/cim' }).servers).toEqual([
      expect.objectContaining({ url: 'https://crm.example/cim' }),
    ]);
    expect(document.servers[0].url).toBe('http://127.0.0.1:3000');
  });
});
