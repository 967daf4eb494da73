// electron-builder afterPack hook: the one fuse that depends on the platform. electron-builder's own
// `electronFuses` (electron-builder.yml) sets the others on every platform right after this hook, before
// signing; a fuse it does not list is left as this hook set it.
//
// EnableEmbeddedAsarIntegrityValidation makes Electron refuse an app.asar whose hash differs from the one
// electron-builder embedded at build time. Electron implements it on macOS and Windows only, so on Linux the
// fuse stays as Electron ships it.
// eslint-disable-next-line @typescript-eslint/no-require-imports -- electron-builder require()s its hooks: this file is CommonJS
const path = require('node:path');

/** Platforms (electron-builder's electronPlatformName) where Electron validates the embedded asar hash. */
const ASAR_INTEGRITY_PLATFORMS = ['darwin', 'mas', 'win32'];

/** The fuse settings this hook flips for a platform (@electron/fuses FuseV1Options names), or null for none. */
function platformFuses(platform) {
  return ASAR_INTEGRITY_PLATFORMS.includes(platform) ? { EnableEmbeddedAsarIntegrityValidation: true } : null;
}

/** The Electron executable inside the packed app, as electron-builder names it. */
function electronBinary(context) {
  const name = context.packager.appInfo.productFilename;
  switch (context.electronPlatformName) {
    case 'darwin':
    case 'mas':
      return path.join(context.appOutDir, `${name}.app`);
    case 'win32':
      return path.join(context.appOutDir, `${name}.exe`);
    default:
      return path.join(context.appOutDir, context.packager.executableName ?? name);
  }
}

async function afterPack(context) {
  const wanted = platformFuses(context.electronPlatformName);
  if (!wanted) return;
  const { flipFuses, FuseV1Options, FuseVersion } = await import('@electron/fuses');
  const config = { version: FuseVersion.V1 };
  for (const [name, on] of Object.entries(wanted)) config[FuseV1Options[name]] = on;
  // No ad-hoc re-signing here: electron-builder flips its fuses next and resets the signature then.
  await flipFuses(electronBinary(context), config);
}

module.exports = afterPack;
module.exports.default = afterPack;
module.exports.platformFuses = platformFuses;
module.exports.electronBinary = electronBinary;
