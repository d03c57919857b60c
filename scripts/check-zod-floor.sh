#!/usr/bin/env bash
# Type-checks the packed tarball, as npm would publish it, in a strict consumer project
# (strict, skipLibCheck: false, NodeNext; ESM and CJS files) against the lowest zod the
# peerDependencies range admits, with repository records in a vendor's own interface and
# class types, and checks that hovering a field of such a record shows its documentation.
# Our sources do not type-check against zod 4.0.0 to 4.0.5, so the floor is tested, not assumed. ZOD_VERSION=4.x.y overrides the version (to look for a new floor).
# Needs the npm registry; runs in a temporary folder that it removes.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD

range=$(node -p 'require("./package.json").peerDependencies.zod')
floor=${ZOD_VERSION:-$(node -p 'require("semver").minVersion(process.argv[1]).version' "$range")}
typescript=$(node -p 'require("./package.json").devDependencies.typescript')
types_node=$(node -p 'require("./package.json").devDependencies["@types/node"]')

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# npm pack runs prepack (the build), as npm publish does.
tarball=$(npm pack --silent --pack-destination "$work" | tail -n 1)
mkdir "$work/consumer"
cd "$work/consumer"
cat > package.json <<'JSON'
{ "name": "zod-floor-consumer", "private": true, "type": "module" }
JSON
cat > tsconfig.json <<'JSON'
{
  "compilerOptions": {
    "target": "ES2022",
    "module": "NodeNext",
    "moduleResolution": "NodeNext",
    "strict": true,
    "exactOptionalPropertyTypes": true,
    "noUncheckedIndexedAccess": true,
    "skipLibCheck": false,
    "types": ["node"],
    "noEmit": true
  },
  "include": ["*.ts", "*.cts"]
}
JSON
cat > consumer.ts <<'TS'
import * as z from 'zod';
import { CustomerSchema, createConnector, createMemoryRepository, sampleDataSet, type Customer, type CustomerRepository, type Label } from 'priority-routing-crm';
import { createOpenApiDocument } from 'priority-routing-crm/openapi';
import { createNodeHandler } from 'priority-routing-crm/node';
import { createFetchHandler } from 'priority-routing-crm/fetch';
import * as testing from 'priority-routing-crm/testing';
import { createCrmRepository, CrmProfileSchema, type CrmProfileOverride } from 'priority-routing-crm/crm';

// Records in a vendor's own types (issue 9 point 2): an interface, a class, and dates as drivers return them.
interface CrmCustomer extends Customer {
  nationalId: string;
}
interface CrmLabel extends Label {
  internalCode: string;
}
type DriverCustomer = Omit<CrmCustomer, 'createdAt' | 'updatedAt'> & { createdAt: Date; updatedAt: Date };
class CustomerRow implements Customer {
  _id = 'c-1'; labels: string[] = []; phone1 = '923001234567'; phone2 = ''; phone3 = ''; phone4 = ''; phone5 = '';
  first_name = ''; last_name = ''; email = ''; created_by = ''; updated_by = '';
  createdAt = '2020-06-18T09:32:53.823Z'; updatedAt = '2020-06-18T09:32:53.823Z'; __v = 0; nationalId = '42101-1234567-1';
}
declare const crmCustomer: CrmCustomer;
declare const driverCustomer: DriverCustomer;
declare const crmLabels: CrmLabel[];

const repository: CustomerRepository = {
  findCustomerByPhone: async (): Promise<CrmCustomer | DriverCustomer | CustomerRow | null> => [crmCustomer, driverCustomer, new CustomerRow()][Math.floor(Math.random() * 3)] ?? null,
  listLabels: async (): Promise<CrmLabel[]> => crmLabels,
};

const customer: Customer = CustomerSchema.parse(sampleDataSet.customers[0]);
const extended = CustomerSchema.extend({ nationalId: z.string() });
const memory = createMemoryRepository({ customers: [crmCustomer, driverCustomer, new CustomerRow()], labels: crmLabels });
// Strict projects pass possibly-undefined values straight through: undefined means the default.
export const fromEnv = createConnector({ repository, basePath: process.env.BASE_PATH, timeoutMs: undefined });
const hubspot: CrmProfileOverride = { extends: 'hubspot', colors: { Gold: '#3cb44b' }, match: undefined };
export const crmSource = () => createConnector({ repository: createCrmRepository({ profile: hubspot, defaultCountry: 'PK', env: process.env, fetch: undefined }) });
export const used = [CrmProfileSchema.shape.lookup, customer.phone1, extended, createConnector({ repository }), createConnector({ repository: memory }), createOpenApiDocument(), createNodeHandler, createFetchHandler, testing, z.toJSONSchema(CustomerSchema)];
TS
cat > consumer-cjs.cts <<'TS'
import zod = require('zod');
import crm = require('priority-routing-crm');
import openapi = require('priority-routing-crm/openapi');

export const parsed: crm.Customer = crm.CustomerSchema.parse(crm.sampleDataSet.customers[0]);
export const document = openapi.createOpenApiDocument();
export const schema = zod.toJSONSchema(crm.CustomerSchema);
TS

npm install --no-audit --no-fund --loglevel=error --save-exact "zod@$floor" "typescript@$typescript" "@types/node@$types_node" "$work/$tarball"
echo "zod $(node -p 'require("zod/package.json").version') (peer range $range), typescript $typescript, skipLibCheck false:"
npx --no-install tsc -p tsconfig.json
echo "the packed tarball type-checks against zod $floor"
node "$root/scripts/check-hover-docs.mjs" --consumer "$work/consumer"
cd "$root"
