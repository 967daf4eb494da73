import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { FileSecretStore, secretStoreInfo, setSecretStore } from '../core/teacher/secrets';
import { CipherFileSecretStore, desktopSecretStore, NO_KEYRING_MESSAGE, SAFE_KEYS_FILE, type Cipher } from './secret-store';

// Stand-in for safeStorage (which needs Electron): a reversible transform that changes every byte.
const cipher: Cipher = {
  encrypt: (s) => Buffer.from(Buffer.from(s, 'utf8').map((b) => b ^ 0x5a)),
  decrypt: (b) => Buffer.from(b.map((x) => x ^ 0x5a)).toString('utf8'),
};

describe('desktop key store', () => {
  it('round-trips keys, never writes them in clear, and keeps the file private', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'distillery-keys-'));
    const file = path.join(dir, 'keys.json');
    const store = new CipherFileSecretStore(file, cipher);
    store.set('t1', 'sk-very-secret-key');
    expect(store.get('t1')).toBe('sk-very-secret-key');
    expect(fs.readFileSync(file, 'utf8')).not.toContain('sk-very-secret-key');
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    store.delete('t1');
    expect(store.get('t1')).toBeUndefined();
    fs.rmSync(dir, { recursive: true, force: true });
  });
});

/** Electron's safeStorage API, injected: `backend` is what getSelectedStorageBackend() answers on Linux. */
function safeStorage(backend: string | undefined, available = true) {
  return {
    isEncryptionAvailable: () => available,
    ...(backend === undefined ? {} : { getSelectedStorageBackend: () => backend }),
    encryptString: cipher.encrypt,
    decryptString: cipher.decrypt,
  };
}

describe('choosing the desktop key store', () => {
  const tmp = () => fs.mkdtempSync(path.join(os.tmpdir(), 'distillery-keyring-'));

  it('uses the keyring when Linux has a real one, and on macOS and Windows', () => {
    for (const [backend, platform] of [['gnome_libsecret', 'linux'], ['kwallet5', 'linux'], [undefined, 'darwin'], [undefined, 'win32']] as const) {
      const dir = tmp();
      const r = desktopSecretStore(safeStorage(backend), dir, platform);
      expect(r.noKeyring).toBe(false);
      expect(r.warning).toBeNull();
      expect(r.store).toBeInstanceOf(CipherFileSecretStore);
      expect(r.store.encrypted).toBe(true);
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('falls back to the 0600 file, says so, and keeps earlier keys with basic_text or unknown', () => {
    for (const backend of ['basic_text', 'unknown']) {
      const dir = tmp();
      // An earlier version stored a key with the weak backend: it must survive the switch.
      new CipherFileSecretStore(path.join(dir, SAFE_KEYS_FILE), cipher).set('teacher-1', 'sk-earlier-key');
      const r = desktopSecretStore(safeStorage(backend), dir, 'linux');
      expect(r.noKeyring).toBe(true);
      expect(r.warning).toContain(NO_KEYRING_MESSAGE);
      expect(r.warning).toContain(backend);
      expect(r.store).toBeInstanceOf(FileSecretStore);
      expect(r.store.encrypted).toBeFalsy();
      expect(r.store.get('teacher-1')).toBe('sk-earlier-key');
      expect(fs.existsSync(path.join(dir, SAFE_KEYS_FILE))).toBe(false);
      r.store.set('teacher-2', 'sk-new');
      expect(fs.statSync((r.store as FileSecretStore).file).mode & 0o777).toBe(0o600);

      setSecretStore(r.store, { noKeyring: r.noKeyring });
      expect(secretStoreInfo()).toEqual({ kind: 'file', encrypted: false, noKeyring: true });
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('falls back to the file when safeStorage cannot encrypt at all', () => {
    const dir = tmp();
    const r = desktopSecretStore(safeStorage('gnome_libsecret', false), dir, 'linux');
    expect(r.noKeyring).toBe(true);
    expect(r.store).toBeInstanceOf(FileSecretStore);
    fs.rmSync(dir, { recursive: true, force: true });
  });
});
