/**
 * The user's settings that live in the config folder (settings.json), beside the recent-projects registry:
 * `offline` and `allowRemoteTeachers`. They are per user, not per project, because an air-gapped machine is
 * air-gapped for every project on it. DISTILLERY_OFFLINE=1 in the environment wins over the file (a CI job,
 * a service unit).
 */
import fs from 'node:fs';
import path from 'node:path';
import { mkdirPrivate, writePrivateFile } from '../util/private-fs';
import { configDir } from '../util/paths';
import { UserError } from '../util/errors';

export const SETTINGS_FILE = 'settings.json';

export interface Settings {
  offline: boolean;
  /** Online, may the engine reach registered teachers (and judges) that are not on this machine? */
  allowRemoteTeachers: boolean;
}

export type SettingKey = keyof Settings;

// Remote teachers are allowed by default: registering a teacher at a remote URL is the user naming that host,
// and an air-gapped machine has the offline switch, which wins. See README "Decisions".
const DEFAULTS: Settings = { offline: false, allowRemoteTeachers: true };
const KEYS: Record<string, SettingKey> = { offline: 'offline', allowremoteteachers: 'allowRemoteTeachers', 'allow-remote-teachers': 'allowRemoteTeachers' };

export function settingsFile(): string {
  return path.join(configDir(), SETTINGS_FILE);
}

/** The settings in the file, defaults for what it lacks; a damaged file reads as the defaults (it is replaced on the next set). */
export function readSettings(): Settings {
  try {
    const raw = JSON.parse(fs.readFileSync(settingsFile(), 'utf8')) as Partial<Settings>;
    return { offline: raw.offline === true, allowRemoteTeachers: typeof raw.allowRemoteTeachers === 'boolean' ? raw.allowRemoteTeachers : DEFAULTS.allowRemoteTeachers };
  } catch {
    return { ...DEFAULTS };
  }
}

export type OfflineSource = 'env' | 'settings' | 'default';

export interface OfflineState {
  offline: boolean;
  /** Where the value comes from, so that a refusal can name the setting to change. */
  source: OfflineSource;
  file: string;
  /** Online, whether registered teachers off this machine may be reached (settings.json, default true). */
  allowRemoteTeachers: boolean;
}

function envFlag(v: string | undefined): boolean | null {
  if (v === undefined || v.trim() === '') return null;
  return !/^(0|false|no|off)$/i.test(v.trim());
}

export function offlineState(): OfflineState {
  const env = envFlag(process.env.DISTILLERY_OFFLINE);
  const file = settingsFile();
  const s = readSettings();
  if (env !== null) return { offline: env, source: 'env', file, allowRemoteTeachers: s.allowRemoteTeachers };
  return { offline: s.offline, source: fs.existsSync(file) ? 'settings' : 'default', file, allowRemoteTeachers: s.allowRemoteTeachers };
}

/** `distillery config set KEY VALUE` and the Project step's switches: a known key, a boolean value. */
export function setSetting(key: string, value: string | boolean): Settings {
  const k = KEYS[key.toLowerCase()];
  if (!k) throw new UserError(`Unknown setting "${key}": the settings are offline and allowRemoteTeachers (true or false).`, 'bad_setting');
  const v = typeof value === 'boolean' ? value : envFlag(value);
  if (v === null || (typeof value === 'string' && !/^(true|false|1|0|yes|no|on|off)$/i.test(value.trim()))) {
    throw new UserError(`The setting ${k} takes true or false, not "${String(value)}".`, 'bad_setting');
  }
  const next: Settings = { ...readSettings(), [k]: v };
  mkdirPrivate(configDir());
  const file = settingsFile();
  const tmp = `${file}.tmp-${process.pid}`;
  writePrivateFile(tmp, `${JSON.stringify(next, null, 2)}\n`);
  fs.renameSync(tmp, file);
  return next;
}
