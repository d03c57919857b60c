import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { envNames, serveOptionKeys } from '../../src/cli/serve/options.js';

// The examples are not run on a cluster here; this checks that they only use what serve reads.
const known = new Set(serveOptionKeys.flatMap((key) => envNames(key)));
const example = (name: string) => readFile(new URL(`../../examples/deploy/${name}`, import.meta.url), 'utf8');

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
    expect(Object.keys(secret!.stringData)).toStrictEqual(['PRC_TOKEN']);
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

  it('the systemd unit sets only variables serve reads and reloads with SIGHUP', async () => {
    const unit = await example('priority-routing-crm.service');
    const names = [...unit.matchAll(/^Environment=([A-Z_]+)=/gm)].map((match) => match[1]);
    expect(names.length).toBeGreaterThan(3);
    for (const name of names) expect(known, name).toContain(name);
    expect(unit).toMatch(/^ExecReload=\/bin\/kill -HUP \$MAINPID$/m);
    // The token lives in the root-only EnvironmentFile, not in the unit (systemctl show prints units).
    expect(unit.split('\n').filter((line) => !line.startsWith('#')).join('\n')).not.toMatch(/PRC_TOKEN|--token/);
    expect(unit).toMatch(/^EnvironmentFile=/m);
  });
});
