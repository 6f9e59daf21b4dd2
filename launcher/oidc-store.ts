/**
 * Storage for the local OIDC provider's sessions, grants and tokens: a map in memory, written to
 * a JSON file after each change when a file is given, so a restart of `npm start` keeps people
 * signed in at the provider. Development scale only (one process, a few dozen entries).
 */
import { readFileSync } from "node:fs";
import { mkdir, rename, writeFile } from "node:fs/promises";
import path from "node:path";

type Entry = { value: unknown; expiresAt: number | null };

// oidc-provider's adapter contract (see its lib/adapters/memory_adapter.js).
type Payload = Record<string, unknown> & { uid?: string; grantId?: string; userCode?: string; consumed?: number };

const GRANTABLE = new Set(["AccessToken", "AuthorizationCode", "RefreshToken", "DeviceCode", "BackchannelAuthenticationRequest"]);

export class OidcStore {
  private entries = new Map<string, Entry>();
  private writing: Promise<void> = Promise.resolve();
  private dirty = false;

  constructor(private readonly file?: string) {
    if (!file) return;
    try {
      const saved = JSON.parse(readFileSync(file, "utf8")) as Record<string, Entry>;
      for (const [key, entry] of Object.entries(saved)) this.entries.set(key, entry);
    } catch {
      // No file yet, or unreadable: start empty; people sign in again.
    }
  }

  get(key: string): unknown {
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    if (entry.expiresAt !== null && entry.expiresAt <= Date.now()) {
      this.entries.delete(key);
      return undefined;
    }
    return entry.value;
  }

  set(key: string, value: unknown, expiresInSeconds?: number): void {
    this.entries.set(key, { value, expiresAt: expiresInSeconds ? Date.now() + expiresInSeconds * 1000 : null });
    this.save();
  }

  delete(key: string): void {
    if (this.entries.delete(key)) this.save();
  }

  /** Writes are coalesced: at most one in flight, followed by one with the latest state. */
  private save(): void {
    if (!this.file) return;
    this.dirty = true;
    this.writing = this.writing.then(async () => {
      if (!this.dirty) return;
      this.dirty = false;
      const now = Date.now();
      const live = Object.fromEntries([...this.entries].filter(([, e]) => e.expiresAt === null || e.expiresAt > now));
      const file = this.file!;
      await mkdir(path.dirname(file), { recursive: true });
      await writeFile(`${file}.tmp`, JSON.stringify(live), { mode: 0o600 });
      await rename(`${file}.tmp`, file);
    }).catch(() => {});
  }

  /** Resolves once pending writes are on disk. */
  flush(): Promise<void> {
    return this.writing;
  }

  /** An adapter class for oidc-provider's `adapter` setting, backed by this store. */
  adapter() {
    const store = this;
    return class StoreAdapter {
      constructor(private readonly model: string) {}

      private key(id: string) {
        return `${this.model}:${id}`;
      }

      async upsert(id: string, payload: Payload, expiresIn: number) {
        const key = this.key(id);
        if (this.model === "Session" && payload.uid) store.set(`sessionUid:${payload.uid}`, id, expiresIn);
        if (GRANTABLE.has(this.model) && payload.grantId) {
          const grantKey = `grant:${payload.grantId}`;
          const tokens = (store.get(grantKey) as string[] | undefined) ?? [];
          store.set(grantKey, [...tokens, key], expiresIn);
        }
        if (payload.userCode) store.set(`userCode:${payload.userCode}`, id, expiresIn);
        store.set(key, payload, expiresIn);
      }

      async find(id: string) {
        return store.get(this.key(id)) as Payload | undefined;
      }

      async findByUid(uid: string) {
        const id = store.get(`sessionUid:${uid}`) as string | undefined;
        return id ? this.find(id) : undefined;
      }

      async findByUserCode(userCode: string) {
        const id = store.get(`userCode:${userCode}`) as string | undefined;
        return id ? this.find(id) : undefined;
      }

      async consume(id: string) {
        const payload = store.get(this.key(id)) as Payload | undefined;
        if (payload) store.set(this.key(id), { ...payload, consumed: Math.floor(Date.now() / 1000) }, store.remaining(this.key(id)));
      }

      async destroy(id: string) {
        store.delete(this.key(id));
      }

      async revokeByGrantId(grantId: string) {
        const grantKey = `grant:${grantId}`;
        for (const key of (store.get(grantKey) as string[] | undefined) ?? []) store.delete(key);
        store.delete(grantKey);
      }
    };
  }

  /** Seconds left before `key` expires (undefined: never). */
  remaining(key: string): number | undefined {
    const entry = this.entries.get(key);
    if (!entry || entry.expiresAt === null) return undefined;
    return Math.max(1, Math.ceil((entry.expiresAt - Date.now()) / 1000));
  }
}

