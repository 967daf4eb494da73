// API keys on the desktop: encrypted with the OS keychain (Electron's safeStorage) before they touch
// the disk. The cipher is injected so that this file never imports electron and can be tested in Node.
import fs from 'node:fs';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import type { SecretStore } from '../core/teacher/secrets';

export interface Cipher {
  encrypt(plain: string): Buffer;
  decrypt(data: Buffer): string;
}

/** A JSON map of id → base64 ciphertext, mode 0600, replaced atomically; keys are never written in clear. */
export class CipherFileSecretStore implements SecretStore {
  readonly kind = 'os-keychain';
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
