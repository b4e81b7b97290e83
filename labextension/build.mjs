// Builds pktlab's front end into the Python package, only when an input changed:
//   ../pktlab/static/widget.{js,css}   the anywidget ESM bundle (esbuild)
//   ../pktlab/labextension/            the JupyterLab prebuilt extension (@jupyter/builder)
// Usage: node build.mjs [--force] [--core-package-file FILE]
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const pkgDir = resolve(here, '..', 'pktlab');
const staticDir = join(pkgDir, 'static');
const labDir = join(pkgDir, 'labextension');
const stampFile = join(labDir, '.build-hash');
const args = process.argv.slice(2);
const force = args.includes('--force');

function files(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap(d =>
    d.isDirectory() ? files(join(dir, d.name)) : [join(dir, d.name)]
  );
}

function inputsHash(core) {
  const h = createHash('sha256');
  h.update(readFileSync(core));
  const inputs = [
    ...files(join(here, 'src')),
    ...files(join(here, 'style')),
    ...['package.json', 'package-lock.json', 'tsconfig.json', 'build.mjs'].map(f => join(here, f))
  ].sort();
  for (const f of inputs) {
    h.update(f.slice(here.length));
    h.update(readFileSync(f));
  }
  return h.digest('hex');
}

function run(cmd, argv) {
  execFileSync(cmd, argv, { cwd: here, stdio: 'inherit' });
}

// 1. node_modules, from the lock file, when missing or older than the lock.
const installed = join(here, 'node_modules', '.package-lock.json');
if (!existsSync(installed) || statSync(installed).mtimeMs < statSync(join(here, 'package-lock.json')).mtimeMs) {
  run('npm', ['ci', '--no-audit', '--no-fund']);
}

// The prebuilt extension is built against the installed JupyterLab's core
// packages when known (offline), else the core metadata npm brought.
const i = args.indexOf('--core-package-file');
let core = i >= 0 ? args[i + 1] : process.env.PKTLAB_CORE_PACKAGE_FILE;
if (!core || !existsSync(core)) core = join(here, 'node_modules', '@jupyterlab', 'core-meta', 'core.package.json');
const hash = inputsHash(core);
const outputs = [join(staticDir, 'widget.js'), join(staticDir, 'widget.css'), join(labDir, 'package.json')];
if (!force && outputs.every(existsSync) && existsSync(stampFile) && readFileSync(stampFile, 'utf8') === hash) {
  console.log('pktlab front end: up to date');
  process.exit(0);
}

// 2. Type-check and compile the lab extension's sources (lib/).
run(join(here, 'node_modules', '.bin', 'tsc'), ['-p', '.']);

// 3. The widget bundle.
const esbuild = await import('esbuild');
mkdirSync(staticDir, { recursive: true });
await esbuild.build({
  entryPoints: [join(here, 'src', 'widget', 'index.ts')],
  bundle: true,
  format: 'esm',
  minify: true,
  target: 'es2021',
  outfile: join(staticDir, 'widget.js'),
  logLevel: 'warning'
});
await esbuild.build({
  entryPoints: [join(here, 'style', 'graph.css')],
  bundle: true,
  minify: true,
  outfile: join(staticDir, 'widget.css'),
  logLevel: 'warning'
});

// 4. The prebuilt JupyterLab extension.
run('node', [join(here, 'node_modules', '@jupyter', 'builder', 'lib', 'build-labextension.js'),
  '--core-package-file', core, here]);
writeFileSync(stampFile, hash);
console.log('pktlab front end: built');
