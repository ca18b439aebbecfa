// Called first by `npm test` and `npm start`: on a fresh clone node_modules does not exist yet, so the README's
// two commands would fail. (npm pre-scripts would not run: .npmrc sets ignore-scripts, which also skips them.)
// Installs exactly the locked versions once; when node_modules exists this is a no-op, so it never wipes a live tree.
import { existsSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
if (existsSync(path.join(root, 'node_modules', '.package-lock.json'))) process.exit(0);
console.log('ensure-deps: first run in this checkout, installing the locked npm dependencies (npm ci)…');
const r = spawnSync('npm', ['ci', '--no-audit', '--no-fund'], { cwd: root, stdio: 'inherit' });
process.exit(r.status ?? 1);
