import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';
import { FuseV1Options, FuseVersion, flipFuses, getCurrentFuseWire, type FuseConfig } from '@electron/fuses';
import { describe, expect, it } from 'vitest';

// The packaged app's Electron fuses: electron-builder.yml's `electronFuses` (set on every platform by
// electron-builder) plus the afterPack hook (the asar integrity fuse, macOS and Windows only). Electron's
// binary cannot be downloaded here, so the fuses are flipped for real in a file that carries Electron's fuse
// wire (sentinel, version, length, one byte per fuse), by the same code electron-builder runs.
const root = path.resolve(import.meta.dirname, '../..');
const require = createRequire(import.meta.url);
const yaml = require('js-yaml') as { load(text: string): unknown };
const config = yaml.load(fs.readFileSync(path.join(root, 'electron-builder.yml'), 'utf8')) as { electronFuses?: Record<string, boolean>; afterPack?: string };
const hook = require(path.join(root, 'scripts/electron-fuses.cjs')) as ((context: unknown) => Promise<void>) & {
  platformFuses(platform: string): Record<string, boolean> | null;
};
// electron-builder's own translation of `electronFuses` into @electron/fuses settings (it does not use `this`).
const { PlatformPackager } = require('app-builder-lib') as {
  PlatformPackager: { prototype: { generateFuseConfig(fuses: Record<string, boolean>): Promise<FuseConfig> } };
};

const SENTINEL = 'dL7pKGdnNz796PbbjQWNKmHXBZaB9tsX';
// Electron's shipped defaults, in FuseV1Options order: RunAsNode on, cookie encryption off, NODE_OPTIONS on,
// --inspect on, asar integrity off, only-asar off, browser V8 snapshot off, file:// privileges on.
const DEFAULT_WIRE = '10110001';

function fakeElectron(file: string): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, Buffer.concat([Buffer.from('\0padding\0'), Buffer.from(SENTINEL), Buffer.from([1, DEFAULT_WIRE.length]), Buffer.from(DEFAULT_WIRE), Buffer.from('\0tail')]));
}

const on = (wire: Record<number, number>, fuse: FuseV1Options) => String.fromCharCode(wire[fuse] ?? 0);

describe('Electron fuses of the packaged app', () => {
  it('lists each fuse in electron-builder.yml, and the hook', () => {
    expect(config.electronFuses).toEqual({
      runAsNode: false,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      enableCookieEncryption: true,
      onlyLoadAppFromAsar: true,
      grantFileProtocolExtraPrivileges: false,
      resetAdHocDarwinSignature: true,
    });
    expect(config.afterPack).toBe('scripts/electron-fuses.cjs');
    expect(hook.platformFuses('darwin')).toEqual({ EnableEmbeddedAsarIntegrityValidation: true });
    expect(hook.platformFuses('mas')).toEqual({ EnableEmbeddedAsarIntegrityValidation: true });
    expect(hook.platformFuses('win32')).toEqual({ EnableEmbeddedAsarIntegrityValidation: true });
    expect(hook.platformFuses('linux')).toBeNull();
  });

  for (const platform of ['linux', 'win32', 'darwin'] as const) {
    it(`flips them in a ${platform} build as electron-builder does (hook, then electronFuses)`, async () => {
      const appOutDir = fs.mkdtempSync(path.join(os.tmpdir(), `distillery-fuses-${platform}-`));
      try {
        const exe = platform === 'win32' ? 'Distillery.exe' : platform === 'darwin' ? 'Distillery.app' : 'distillery';
        const binary = platform === 'darwin' ? path.join(appOutDir, exe, 'Contents/Frameworks/Electron Framework.framework/Electron Framework') : path.join(appOutDir, exe);
        fakeElectron(binary);
        await hook({ appOutDir, electronPlatformName: platform, packager: { appInfo: { productFilename: 'Distillery' }, executableName: 'distillery' } });
        const fuses = await PlatformPackager.prototype.generateFuseConfig(config.electronFuses ?? {});
        // Re-signing ad hoc runs macOS's codesign, absent here; the flip itself is the same.
        if (platform === 'darwin') delete fuses.resetAdHocDarwinSignature;
        await flipFuses(path.join(appOutDir, exe), fuses);

        const wire = (await getCurrentFuseWire(path.join(appOutDir, exe))) as unknown as Record<number, number> & { version: string };
        expect(wire.version).toBe(FuseVersion.V1);
        expect(on(wire, FuseV1Options.RunAsNode)).toBe('0');
        expect(on(wire, FuseV1Options.EnableNodeOptionsEnvironmentVariable)).toBe('0');
        expect(on(wire, FuseV1Options.EnableNodeCliInspectArguments)).toBe('0');
        expect(on(wire, FuseV1Options.EnableCookieEncryption)).toBe('1');
        expect(on(wire, FuseV1Options.OnlyLoadAppFromAsar)).toBe('1');
        expect(on(wire, FuseV1Options.GrantFileProtocolExtraPrivileges)).toBe('0');
        expect(on(wire, FuseV1Options.EnableEmbeddedAsarIntegrityValidation)).toBe(platform === 'linux' ? '0' : '1');
        // Not ours to change: stays as Electron ships it.
        expect(on(wire, FuseV1Options.LoadBrowserProcessSpecificV8Snapshot)).toBe('0');
      } finally {
        fs.rmSync(appOutDir, { recursive: true, force: true });
      }
    });
  }
});
