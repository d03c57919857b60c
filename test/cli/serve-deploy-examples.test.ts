import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import packageJson from '../../package.json' with { type: 'json' };
import { resolveServeConfig } from '../../src/cli/serve/config.js';
import { envNames, serveOptionKeys } from '../../src/cli/serve/options.js';
import { parseSqlMapping } from '../../src/repositories/sql/index.js';

// The examples are not run on a cluster here; this checks that they only use what serve reads,
// and that what they configure is a real data source, not the embedded sample data.
const known = new Set(serveOptionKeys.flatMap((key) => envNames(key)));
const example = (name: string) => readFile(new URL(`../../examples/deploy/${name}`, import.meta.url), 'utf8');

/** `KEY=value` lines (an env file), comments and blank lines skipped. */
const envFile = (text: string) => Object.fromEntries(text.split('\n').filter((line) => /^[A-Z_]+=/.test(line)).map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)]));

/** The Dockerfile's `ENV a=b c=d` pairs, as a container started from the image has them. */
async function imageEnv(): Promise<Record<string, string>> {
  const pairs = (await example('Dockerfile')).split('\n').filter((line) => line.startsWith('ENV ')).flatMap((line) => line.slice(4).trim().split(/\s+/));
  return Object.fromEntries(pairs.map((pair) => [pair.slice(0, pair.indexOf('=')), pair.slice(pair.indexOf('=') + 1)]));
}

/** What `serve` with no flags would run with in this environment. */
const configIn = async (env: Record<string, string>) => (await resolveServeConfig({}, env, false)).config;

interface Container {
  livenessProbe: { httpGet: { path: string; scheme: string } };
  readinessProbe: { httpGet: { path: string; scheme: string } };
}

describe('examples/deploy', () => {
  it('the Kubernetes Deployment sets only variables serve reads, probes /healthz and /readyz, and takes the token from the Secret', async () => {
    const documents = parseAllDocuments(await example('kubernetes.yaml')).map((document) => document.toJS() as Record<string, any>);
    expect(documents.map((document) => document.kind)).toStrictEqual(['Secret', 'Deployment', 'Service']);
    const [secret, deployment] = documents;
    const pod = deployment!.spec.template;
    const container = pod.spec.containers[0] as Container & { env: { name: string; value?: string; valueFrom?: { secretKeyRef: { name: string } } }[] };
    for (const { name } of container.env) expect(known, name).toContain(name);
    expect(container.env.find((variable) => variable.name === 'PRC_TOKEN')?.valueFrom?.secretKeyRef.name).toBe(secret!.metadata.name);
    expect(Object.keys(secret!.stringData)).toStrictEqual(['PRC_TOKEN', 'DATABASE_URL']);
    expect(container.livenessProbe.httpGet).toMatchObject({ path: '/healthz', scheme: 'HTTPS' });
    expect(container.readinessProbe.httpGet).toMatchObject({ path: '/readyz', scheme: 'HTTPS' });
    expect(pod.metadata.annotations).toMatchObject({ 'prometheus.io/scrape': 'true', 'prometheus.io/path': '/metrics' });
    const shutdownMs = Number(container.env.find((variable) => variable.name === 'PRC_SHUTDOWN_TIMEOUT')?.value);
    const drainMs = Number(container.env.find((variable) => variable.name === 'PRC_DRAIN_DELAY')?.value);
    expect(shutdownMs).toBeGreaterThan(0);
    expect(drainMs).toBeGreaterThan(0);
    expect(pod.spec.terminationGracePeriodSeconds * 1000).toBeGreaterThan(drainMs + shutdownMs);
  });

  it('the Kubernetes Deployment probes and scrapes the admin port (--admin-port), which the Service does not expose (issue 20.13)', async () => {
    const [, deployment, service] = parseAllDocuments(await example('kubernetes.yaml')).map((document) => document.toJS() as Record<string, any>);
    const container = deployment!.spec.template.spec.containers[0];
    const adminPort = Number(container.env.find((variable: { name: string }) => variable.name === 'PRC_ADMIN_PORT')?.value);
    const admin = container.ports.find((port: { containerPort: number }) => port.containerPort === adminPort);
    expect(admin?.name).toBeDefined();
    expect(container.livenessProbe.httpGet.port).toBe(admin.name);
    expect(container.readinessProbe.httpGet.port).toBe(admin.name);
    expect(deployment!.spec.template.metadata.annotations['prometheus.io/port']).toBe(String(adminPort));
    expect(service!.spec.ports.map((port: { targetPort: string }) => port.targetPort)).not.toContain(admin.name);
  });

  it('the Kubernetes Deployment serves the database from the Secret through the image\'s mapping, not the sample data', async () => {
    const [secret, deployment] = parseAllDocuments(await example('kubernetes.yaml')).map((document) => document.toJS() as Record<string, any>);
    const container = deployment!.spec.template.spec.containers[0] as { env: { name: string; value?: string; valueFrom?: { secretKeyRef: { name: string; key: string } } }[]; args?: string[]; command?: string[] };
    // The container's environment as Kubernetes builds it: the image's ENV, then the manifest's, Secret values filled in.
    const env: Record<string, string> = { ...(await imageEnv()) };
    for (const variable of container.env) {
      const ref = variable.valueFrom?.secretKeyRef;
      if (ref !== undefined) expect(ref.name).toBe(secret!.metadata.name);
      env[variable.name] = ref === undefined ? variable.value! : secret!.stringData[ref.key];
    }
    expect(container.env.find((variable) => variable.name === 'DATABASE_URL')?.valueFrom?.secretKeyRef.key).toBe('DATABASE_URL');
    const config = await configIn(env);
    expect(config.database).toBe(secret!.stringData.DATABASE_URL);
    expect(config.database).toMatch(/^postgres:\/\//);
    expect(config.mapping).toBe('/opt/priority-routing-crm/mapping.json');
    expect(config.data).toBeUndefined();
    // Nothing on the command line, where ps and the pod spec show it.
    expect([...(container.args ?? []), ...(container.command ?? [])]).toStrictEqual([]);
  });

  it('the Dockerfile installs the pg driver the package accepts, builds the mapping in, and holds no database URL', async () => {
    const dockerfile = await example('Dockerfile');
    const install = dockerfile.split('\n').find((line) => line.startsWith('RUN npm install'));
    const pg = install?.match(/\bpg@(\d+)\b/);
    expect(pg, 'pg installed beside the package').not.toBeNull();
    expect(packageJson.peerDependencies.pg).toBe(`^${pg![1]}.0.0`);
    expect(install).toContain(`priority-routing-crm@${packageJson.version}`);
    const mapping = (await imageEnv()).PRC_MAPPING;
    expect(dockerfile).toMatch(new RegExp(`^COPY mapping\\.json ${mapping}$`, 'm'));
    expect(dockerfile).toMatch(/^ENTRYPOINT \[.*"serve"\]$/m);
    expect(dockerfile.split('\n').filter((line) => !line.startsWith('#')).join('\n')).not.toMatch(/DATABASE_URL|postgres:|--database|--token/);
    // Without DATABASE_URL the image refuses to start (a mapping without a database), rather than serving sample data.
    await expect(configIn(await imageEnv())).rejects.toThrow(/--mapping \(PRC_MAPPING\) needs --database/);
  });

  it('the example mapping is a valid --mapping file', async () => {
    const mapping = parseSqlMapping(JSON.parse(await example('mapping.json')));
    expect(mapping.customers.phones.length).toBeGreaterThan(0);
  });

  it('the systemd unit serves the database from its root-only environment file through the installed mapping', async () => {
    const unit = await example('priority-routing-crm.service');
    const secrets = envFile(await example('priority-routing-crm.env'));
    expect(Object.keys(secrets)).toStrictEqual(['PRC_TOKEN', 'DATABASE_URL']);
    expect(unit).toMatch(/^# .*install -m 0600 -o root priority-routing-crm\.env \/etc\/priority-routing-crm\/env/m);
    expect(unit).toMatch(/^EnvironmentFile=\/etc\/priority-routing-crm\/env$/m);
    expect(unit).toMatch(/^# .*npm install --global priority-routing-crm@\S+ pg@8\b/m);
    const environment = envFile(unit.split('\n').filter((line) => line.startsWith('Environment=')).map((line) => line.slice('Environment='.length)).join('\n'));
    expect(unit).toMatch(new RegExp(`^# .*install -m 0644 mapping\\.json ${environment.PRC_MAPPING}`, 'm'));
    const config = await configIn({ ...environment, ...secrets });
    expect(config.database).toBe(secrets.DATABASE_URL);
    expect(config.mapping).toBe('/etc/priority-routing-crm/mapping.json');
    expect(config.data).toBeUndefined();
  });

  it('the systemd unit sets only variables serve reads and reloads with SIGHUP', async () => {
    const unit = await example('priority-routing-crm.service');
    const names = [...unit.matchAll(/^Environment=([A-Z_]+)=/gm)].map((match) => match[1]);
    expect(names.length).toBeGreaterThan(3);
    for (const name of names) expect(known, name).toContain(name);
    expect(unit).toMatch(/^ExecReload=\/bin\/kill -HUP \$MAINPID$/m);
    // The token lives in the root-only EnvironmentFile, not in the unit (systemctl show prints units).
    expect(unit.split('\n').filter((line) => !line.startsWith('#')).join('\n')).not.toMatch(/PRC_TOKEN|--token|DATABASE_URL|--database|postgres:/);
    expect(unit).toMatch(/^EnvironmentFile=/m);
  });
});
