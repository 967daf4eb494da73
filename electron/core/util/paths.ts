import os from 'node:os';
import path from 'node:path';

/** The user's config folder for Distillery (recent projects, browser-mode secrets). */
export function configDir(): string {
  const override = process.env.DISTILLERY_CONFIG_DIR;
  if (override) return path.resolve(override);
  const home = os.homedir();
  switch (process.platform) {
    case 'win32':
      return path.join(process.env.APPDATA ?? path.join(home, 'AppData', 'Roaming'), 'Distillery');
    case 'darwin':
      return path.join(home, 'Library', 'Application Support', 'Distillery');
    default:
      return path.join(process.env.XDG_CONFIG_HOME ?? path.join(home, '.config'), 'distillery');
  }
}
