// Writes each electron/core folder's README "May import" line from the layer table (electron/core/layers.mjs).
// `--check` writes nothing and exits 1 listing what is out of date (folders, READMEs, the core README's table).
import fs from 'node:fs';
import path from 'node:path';
import { coreFolders, mapProblems, mayImportLine, withMayImportLine } from '../electron/core/layers.mjs';

const coreDir = path.resolve(import.meta.dirname, '../electron/core');
if (!process.argv.includes('--check')) {
  for (const f of coreFolders(coreDir)) {
    const readme = path.join(coreDir, f, 'README.md');
    if (!fs.existsSync(readme)) continue;
    const text = fs.readFileSync(readme, 'utf8');
    const next = withMayImportLine(text, mayImportLine(f, fs.readdirSync(path.join(coreDir, f))));
    if (next !== text) {
      fs.writeFileSync(readme, next);
      console.log(`updated electron/core/${f}/README.md`);
    }
  }
}
const problems = mapProblems(coreDir);
for (const p of problems) console.error(p);
process.exitCode = problems.length ? 1 : 0;
