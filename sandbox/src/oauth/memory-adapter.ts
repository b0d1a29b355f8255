/**
 * oidc-provider storage adapter kept in process memory.
 *
 * Hand-written instead of using oidc-provider's bundled memory adapter because that one is an LRU
 * capped at 1000 entries: a long conformance run (each authorization stores about eight entries)
 * would silently evict live tokens and grants, which would look like revocations. This store keeps
 * every entry until its own expiry. Its bound: everything lives in this process's memory and is lost
 * on restart; access tokens leave after their lifetime (1 h), refresh tokens and grants after the
 * 13-month data access period or when revoked.
 */
import type { Adapter, AdapterPayload } from 'oidc-provider';

interface Entry {
  payload: AdapterPayload;
  /** Epoch milliseconds; Infinity when the model has no expiry. */
  expiresAt: number;
}

/** Models oidc-provider links to a grant, so `revokeByGrantId` can find them. */
const GRANT_MEMBERS = new Set(['AccessToken', 'AuthorizationCode', 'RefreshToken', 'DeviceCode', 'BackchannelAuthenticationRequest']);

const SWEEP_INTERVAL_MS = 60_000;
/**
 * Entries are kept this long past their expiry. oidc-provider checks expiry itself, so nothing
 * expired is ever accepted; the grace lets a just-expired token be told apart from an unknown one
 * ("The access token has expired." versus "is invalid", BB2-FHIR-AUTH-03), as DOT's kept rows allow.
 */
const EXPIRED_GRACE_MS = 60 * 60 * 1000;

export class MemoryStore {
  private readonly entries = new Map<string, Entry>();
  private readonly grantMembers = new Map<string, Set<string>>();
  private readonly sessionUids = new Map<string, string>();
  private readonly userCodes = new Map<string, string>();

  constructor() {
    // unref: the sweep must never keep a finished test run or CLI alive.
    setInterval(() => this.sweep(Date.now()), SWEEP_INTERVAL_MS).unref();
  }

  adapterFor(model: string): Adapter {
    return new StoredModel(model, this);
  }

  get(key: string, now = Date.now()): AdapterPayload | undefined {
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    if (entry.expiresAt <= now) {
      this.delete(key);
      return undefined;
    }
    return entry.payload;
  }

  set(key: string, model: string, payload: AdapterPayload, expiresInSeconds: number | undefined): void {
    this.delete(key);
    const expiresAt = typeof expiresInSeconds === 'number' ? Date.now() + expiresInSeconds * 1000 + EXPIRED_GRACE_MS : Infinity;
    this.entries.set(key, { payload: { ...payload }, expiresAt });
    const id = key.slice(model.length + 1);
    if (GRANT_MEMBERS.has(model) && typeof payload.grantId === 'string') {
      const members = this.grantMembers.get(payload.grantId) ?? new Set<string>();
      members.add(key);
      this.grantMembers.set(payload.grantId, members);
    }
    if (model === 'Session' && typeof payload.uid === 'string') this.sessionUids.set(payload.uid, id);
    if (typeof payload.userCode === 'string') this.userCodes.set(payload.userCode, id);
  }

  delete(key: string): void {
    const entry = this.entries.get(key);
    if (!entry) return;
    this.entries.delete(key);
    const { grantId, uid, userCode } = entry.payload;
    if (typeof grantId === 'string') {
      const members = this.grantMembers.get(grantId);
      members?.delete(key);
      if (members?.size === 0) this.grantMembers.delete(grantId);
    }
    if (typeof uid === 'string') this.sessionUids.delete(uid);
    if (typeof userCode === 'string') this.userCodes.delete(userCode);
  }

  /** Deletes one model's entries linked to a grant (oidc-provider calls this once per model). */
  deleteGrantMembers(grantId: string, model: string): void {
    const prefix = `${model}:`;
    for (const key of [...(this.grantMembers.get(grantId) ?? [])]) if (key.startsWith(prefix)) this.delete(key);
  }

  idForSessionUid(uid: string): string | undefined {
    return this.sessionUids.get(uid);
  }

  idForUserCode(userCode: string): string | undefined {
    return this.userCodes.get(userCode);
  }

  private sweep(now: number): void {
    for (const [key, entry] of this.entries) if (entry.expiresAt <= now) this.delete(key);
  }
}

class StoredModel implements Adapter {
  constructor(
    private readonly model: string,
    private readonly store: MemoryStore,
  ) {}

  private key(id: string): string {
    return `${this.model}:${id}`;
  }

  async upsert(id: string, payload: AdapterPayload, expiresIn: number): Promise<void> {
    this.store.set(this.key(id), this.model, payload, expiresIn);
  }

  async find(id: string): Promise<AdapterPayload | undefined> {
    const payload = this.store.get(this.key(id));
    return payload === undefined ? undefined : { ...payload };
  }

  async findByUid(uid: string): Promise<AdapterPayload | undefined> {
    const id = this.store.idForSessionUid(uid);
    return id === undefined ? undefined : this.find(id);
  }

  async findByUserCode(userCode: string): Promise<AdapterPayload | undefined> {
    const id = this.store.idForUserCode(userCode);
    return id === undefined ? undefined : this.find(id);
  }

  async consume(id: string): Promise<void> {
    const payload = this.store.get(this.key(id));
    if (payload) payload.consumed = Math.floor(Date.now() / 1000);
  }

  async destroy(id: string): Promise<void> {
    this.store.delete(this.key(id));
  }

  async revokeByGrantId(grantId: string): Promise<void> {
    this.store.deleteGrantMembers(grantId, this.model);
  }
}
