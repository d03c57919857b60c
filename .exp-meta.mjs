import { build } from 'esbuild';
const pkg = JSON.parse(await (await import('node:fs/promises')).readFile('package.json', 'utf8'));
const bundled = process.argv.slice(3);
const deps = [...Object.keys(pkg.dependencies), ...Object.keys(pkg.peerDependencies)].filter((d) => !bundled.includes(d));
const r = await build({ entryPoints: { cli: 'src/cli/main.ts' }, bundle: true, splitting: true, format: 'esm', platform: 'node', target: 'node20', outdir: process.argv[2],
  external: deps.flatMap((d) => [d, d + '/*']), metafile: true, logLevel: 'warning' });
const ins = {};
for (const [f, o] of Object.entries(r.metafile.outputs)) for (const [i, v] of Object.entries(o.inputs)) { const m = /node_modules\/([^/]+)\//.exec(i); const k = m ? m[1] : 'src'; ins[k] = (ins[k] ?? 0) + v.bytesInOutput; }
console.log(ins);
