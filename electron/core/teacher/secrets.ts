import fs from 'node:fs';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { configDir } from '../util/paths';
import { UserError } from '../util/errors';

/**
 * Where API keys live. The project stores only a reference (`env:VAR` or `store:ID`), never a key, so
 * that projects, exports and logs can be shared. The desktop shell supplies a safeStorage-backed store
 * through this same interface; browser mode and the CLI use {@link FileSecretStore}.
 */
export interface SecretStore {
  readonly kind: string;
  /** True when the OS keyring encrypts the values (safeStorage); a plain 0600 file says false. */
  readonly encrypted?: boolean;
  get(id: string): string | undefined;
  set(id: string, value: string): void;
  delete(id: string): void;
}

export const SECRETS_FILE = 'secrets.json';

/** A JSON file in the user's config folder, mode 0600, replaced atomically on every write. */
export class FileSecretStore implements SecretStore {
  readonly kind = 'file';
  constructor(readonly file: string = path.join(configDir(), SECRETS_FILE)) {}

  private read(): Record<string, string> {
    let text: string;
    try {
      text = fs.readFileSync(this.file, 'utf8');
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return {};
      throw new UserError(`Could not read the secrets file ${this.file}: ${(e as Error).message}. Check its permissions.`, 'secrets_io');
    }
    try {
      const v = JSON.parse(text) as unknown;
      return v && typeof v === 'object' ? (v as Record<string, string>) : {};
    } catch {
      throw new UserError(`The secrets file ${this.file} is not valid JSON. Fix or delete it, then enter your API keys again.`, 'secrets_corrupt');
    }
  }

  private write(all: Record<string, string>): void {
    fs.mkdirSync(path.dirname(this.file), { recursive: true, mode: 0o700 });
    const tmp = `${this.file}.${process.pid}.${randomUUID()}.tmp`;
    // Created 0600 so that the key is never readable by others, not even for a moment.
    const fd = fs.openSync(tmp, 'wx', 0o600);
    try {
      fs.writeSync(fd, JSON.stringify(all, null, 2));
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
    fs.chmodSync(tmp, 0o600);
    fs.renameSync(tmp, this.file);
    fs.chmodSync(this.file, 0o600);
  }

  get(id: string): string | undefined {
    return this.read()[id];
  }

  set(id: string, value: string): void {
    const all = this.read();
    all[id] = value;
    this.write(all);
  }

  delete(id: string): void {
    const all = this.read();
    if (!(id in all)) return;
    delete all[id];
    this.write(all);
  }
}

let current: SecretStore | null = null;
let noKeyring = false;

/** The store used by the engine; the Electron shell replaces it with its safeStorage store at start-up. */
export function secretStore(): SecretStore {
  current ??= new FileSecretStore();
  return current;
}

/** `noKeyring`: the desktop shell wanted the OS keyring but the desktop has none, so keys are in the 0600 file. */
export function setSecretStore(store: SecretStore, opts: { noKeyring?: boolean } = {}): void {
  current = store;
  noKeyring = opts.noKeyring ?? false;
}

/** What the UI may say about where keys are kept (never the keys). */
export interface SecretStoreInfo {
  kind: string;
  encrypted: boolean;
  /** The UI shows: "Your desktop has no keyring; keys are kept in a file readable only by you." */
  noKeyring: boolean;
}

export function secretStoreInfo(): SecretStoreInfo {
  const s = secretStore();
  return { kind: s.kind, encrypted: s.encrypted === true, noKeyring };
}

/** Resolves a key reference to the key, or undefined for a teacher without a key. */
export function resolveKey(ref: string | null, teacher: string, store: SecretStore = secretStore()): string | undefined {
  if (!ref) return undefined;
  if (ref.startsWith('env:')) {
    const name = ref.slice(4);
    const v = process.env[name];
    if (!v) {
      throw new UserError(
        `The teacher "${teacher}" reads its API key from the environment variable ${name}, which is not set. Set it (export ${name}=...) and try again.`,
        'key_missing',
      );
    }
    return v;
  }
  if (ref.startsWith('store:')) {
    const v = store.get(ref.slice(6));
    if (!v) throw new UserError(`The API key of teacher "${teacher}" is missing from the ${store.kind} key store. Enter the key again in the teacher's settings.`, 'key_missing');
    return v;
  }
  throw new UserError(`The teacher "${teacher}" has an unknown key reference "${ref}". Enter its API key again.`, 'key_ref');
}

export function isValidEnvName(name: string): boolean {
  return /^[A-Za-z_][A-Za-z0-9_]*$/.test(name);
}
