import { buildBundle } from '../../core/env/bundle';
import { verifyBundle } from '../../core/env/manifest';
import { parse } from '../args';
import { UsageError, type CliIO } from '../io';

const USAGE = 'distillery offline-bundle --out DIR [--with-models DIR ...] [--platform linux-x86_64|linux-aarch64] [--cuda] [--python-only PKG,PKG] [--no-npm] [--no-python] [--pip PYTHON] [--json] | distillery offline-bundle --verify DIR [--json]';

/** `offline-bundle`: build a bundle for an air-gapped machine, or verify one on arrival (exit 2 with the list). */
export async function runOfflineBundle(args: string[], io: CliIO): Promise<number> {
  const { values } = parse(
    'offline-bundle',
    args,
    {
      out: { type: 'string' },
      verify: { type: 'string' },
      'with-models': { type: 'string', multiple: true },
      platform: { type: 'string' },
      cuda: { type: 'boolean' },
      'python-only': { type: 'string' },
      'no-npm': { type: 'boolean' },
      'no-python': { type: 'boolean' },
      pip: { type: 'string' },
      json: { type: 'boolean' },
    },
    [],
  );
  const json = Boolean(values.json);
  if (values.verify !== undefined) {
    const r = await verifyBundle(values.verify);
    if (json) io.stdout(JSON.stringify(r));
    else if (r.error) io.stderr(`distillery: ${r.error}`);
    else if (r.ok) io.stdout(`All ${r.checked} files of ${values.verify} match the manifest.`);
    else {
      io.stderr(`distillery: ${values.verify} does not match its manifest (${r.checked} files listed): ${r.missing.length} missing, ${r.altered.length} altered, ${r.unexpected.length} not in the manifest. Copy the bundle again from its source.`);
      for (const f of r.missing) io.stderr(`missing     ${f}`);
      for (const f of r.altered) io.stderr(`altered     ${f}`);
      for (const f of r.unexpected) io.stderr(`unexpected  ${f}`);
    }
    return r.ok ? 0 : 2;
  }
  const out = values.out;
  if (!out) throw new UsageError(`offline-bundle: --out DIR or --verify DIR is required (usage: ${USAGE}).`);
  const platform = (values.platform) ?? 'linux-x86_64';
  if (platform !== 'linux-x86_64' && platform !== 'linux-aarch64') throw new UsageError(`offline-bundle: --platform must be linux-x86_64 or linux-aarch64, not "${platform}".`);
  const subset = (values['python-only'])?.split(',').map((s) => s.trim()).filter(Boolean);
  const m = await buildBundle({
    out,
    platform,
    cuda: Boolean(values.cuda),
    models: (values['with-models']) ?? [],
    pythonSubset: subset,
    npm: !values['no-npm'],
    python: !values['no-python'],
    pip: values.pip,
    onStep: (s) => io.stderr(`offline-bundle: ${s}`),
  });
  const bytes = Object.values(m.files).reduce((a, f) => a + f.bytes, 0);
  if (json) io.stdout(JSON.stringify({ out, files: Object.keys(m.files).length, bytes, contents: m.contents }));
  else io.stdout(`Bundle in ${out}: ${Object.keys(m.files).length} files, ${(bytes / 1024 ** 2).toFixed(1)} MiB, listed with SHA-256 in manifest.json.\n${Object.values(m.contents).join('\n')}`);
  return 0;
}
