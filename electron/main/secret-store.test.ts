import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { CipherFileSecretStore, type Cipher } from './secret-store';

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
