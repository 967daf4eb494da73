// API keys on the desktop: encrypted with the OS keychain (Electron's safeStorage) before they touch
// the disk. The cipher is injected so that this file never imports electron and can be tested in Node.
import fs from 'node:fs';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { FileSecretStore, type SecretStore } from '../core/teacher/secrets';

export interface Cipher {
  encrypt(plain: string): Buffer;
  decrypt(data: Buffer): string;
}

/** A JSON map of id → base64 ciphertext, mode 0600, replaced atomically; keys are never written in clear. */
export class CipherFileSecretStore implements SecretStore {
  readonly kind = 'os-keychain';
  readonly encrypted = true;
  constructor(
    readonly file: string,
    private readonly cipher: Cipher,
  ) {}

  private read(): Record<string, string> {
    try {
      const v = JSON.parse(fs.readFileSync(this.file, 'utf8')) as unknown;
      return v && typeof v === 'object' ? (v as Record<string, string>) : {};
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return {};
      throw new Error(`The key store ${this.file} cannot be read (${(e as Error).message}); delete it and enter your API keys again.`, { cause: e });
    }
  }

  private write(all: Record<string, string>): void {
    fs.mkdirSync(path.dirname(this.file), { recursive: true, mode: 0o700 });
    const tmp = `${this.file}.${randomUUID()}.tmp`;
    fs.writeFileSync(tmp, JSON.stringify(all, null, 2), { mode: 0o600, flag: 'wx' });
    fs.renameSync(tmp, this.file);
  }

  get(id: string): string | undefined {
    const enc = this.read()[id];
    return enc === undefined ? undefined : this.cipher.decrypt(Buffer.from(enc, 'base64'));
  }

  set(id: string, value: string): void {
    const all = this.read();
    all[id] = this.cipher.encrypt(value).toString('base64');
    this.write(all);
  }

  delete(id: string): void {
    const all = this.read();
    if (!(id in all)) return;
    delete all[id];
    this.write(all);
  }
}

/** The parts of Electron's safeStorage used here; injected so that tests run without Electron's binary. */
export interface SafeStorageApi {
  isEncryptionAvailable(): boolean;
  /** Linux only: which secret store Chromium picked. */
  getSelectedStorageBackend?(): string;
  encryptString(plain: string): Buffer;
  decryptString(data: Buffer): string;
}

export const SAFE_KEYS_FILE = 'keys.safe.json';
export const NO_KEYRING_MESSAGE = 'Your desktop has no keyring; keys are kept in a file readable only by you.';

// On Linux, 'basic_text' encrypts with a fixed key compiled into Chromium (anyone can decrypt it) and
// 'unknown' means no backend was chosen: neither protects a key, so calling them encrypted would be a lie.
const WEAK_BACKENDS = new Set(['basic_text', 'unknown']);

export interface DesktopSecretStore {
  store: SecretStore;
  /** True when the keyring is missing or weak and keys are kept in the 0600 file instead. */
  noKeyring: boolean;
  /** A line for the log when noKeyring. */
  warning: string | null;
}

/**
 * Picks where the desktop keeps API keys: the OS keyring through safeStorage when it really encrypts, else the
 * same 0600 file browser mode uses (and says so). Call after app 'ready' (Linux picks its backend then).
 * Keys an earlier run encrypted with a weak backend are moved into the file, so that none is lost.
 */
export function desktopSecretStore(safe: SafeStorageApi, dir: string, platform: NodeJS.Platform = process.platform): DesktopSecretStore {
  const cipherFile = path.join(dir, SAFE_KEYS_FILE);
  const available = safe.isEncryptionAvailable();
  const backend = platform === 'linux' ? (safe.getSelectedStorageBackend?.() ?? 'unknown') : null;
  if (available && (backend === null || !WEAK_BACKENDS.has(backend))) {
    return { store: new CipherFileSecretStore(cipherFile, { encrypt: (p) => safe.encryptString(p), decrypt: (d) => safe.decryptString(d) }), noKeyring: false, warning: null };
  }
  const file = new FileSecretStore(path.join(dir, 'secrets.json'));
  const why = available ? `safeStorage would use the "${backend ?? ''}" backend, which does not protect keys` : 'safeStorage encryption is not available';
  const warning = `${NO_KEYRING_MESSAGE} (${why}; ${file.file}, mode 0600)`;
  if (available && fs.existsSync(cipherFile)) {
    try {
      moveKeys(cipherFile, file, safe);
    } catch (e) {
      // Unreadable: the file stays as it is, nothing is deleted.
      return { store: file, noKeyring: true, warning: `${warning} The keys in ${cipherFile} could not be moved (${(e as Error).message}).` };
    }
  }
  return { store: file, noKeyring: true, warning };
}

/** Copies every key the weak backend can still decrypt into the file, then removes the ciphertext file. */
function moveKeys(cipherFile: string, to: FileSecretStore, safe: SafeStorageApi): void {
  const all = JSON.parse(fs.readFileSync(cipherFile, 'utf8')) as Record<string, string>;
  let failed = 0;
  for (const [id, enc] of Object.entries(all)) {
    try {
      if (to.get(id) === undefined) to.set(id, safe.decryptString(Buffer.from(enc, 'base64')));
    } catch {
      failed++;
    }
  }
  // A key that cannot be read yet stays in its file, for a later start with the keyring back.
  if (failed === 0) fs.rmSync(cipherFile);
}
