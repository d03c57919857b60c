import { expect, it } from 'vitest';
import { expectProblem } from '../support/problems.js';
import { expectFrameworkNotFound } from './contract-cases.js';

/**
 * Cases for a connector mounted as middleware at `/cim` in an app that also has `GET /health`
 * (as every example does): what is not the connector's reaches the app.
 */
export function passThroughCases(origin: () => string): void {
  it("passes requests outside its mount on to the app's own routes", async () => {
    const response = await fetch(`${origin()}/health`);
    expect(response.status).toBe(200);
    expect(await response.text()).toBe('ok');
  });

  it("leaves unknown paths outside its mount to the app's own 404", async () => {
    await expectFrameworkNotFound(await fetch(`${origin()}/customer?query=phone:1111`));
  });
}

/** Cases for an example served with its default repository, over `examples/vendor-crm.ts`. */
export function vendorCases(origin: () => string): void {
  it("answers from the vendor's own tables in the contract's shape, without their extra columns", async () => {
    const response = await fetch(`${origin()}/cim/customer?query=phone:+923001234567`);
    expect(response.status).toBe(200);
    const customer = (await response.json()) as Record<string, unknown>;
    expect(customer).toMatchObject({ _id: 'c-1001', first_name: 'Amina', phone1: '+92 300 1234567', labels: ['tier-vip'] });
    expect(customer).not.toHaveProperty('nationalId');

    const labels = (await (await fetch(`${origin()}/cim/label`)).json()) as { name: string }[];
    expect(labels.map((label) => label.name)).toEqual(['Gold', 'Vip']);
  });

  it('answers 404 for a number the vendor does not have', async () => {
    await expectProblem(await fetch(`${origin()}/cim/customer?query=phone:1111`), 'customerNotFound');
  });
}
