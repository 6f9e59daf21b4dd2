/**
 * Per-user AWS sessions against the local emulator's STS: one AssumeRole per user however many
 * requests arrive at once, cached until shortly before expiry, carrying the user's identity.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { startPortalBackend, type PortalBackend } from "@/test/support/portal-backend";
import { callCount, emulatorCalls, emulatorState, ISSUER, logInPeople, resetCalls, tagValue, type People } from "@/test/support/portal-fixtures";

let backend: PortalBackend;
let people: People;
let sessions: typeof import("@/lib/aws/sessions");
let identityOf: typeof import("@/lib/services/identity").identityOf;

beforeAll(async () => {
  backend = await startPortalBackend();
  sessions = await import("@/lib/aws/sessions");
  identityOf = (await import("@/lib/services/identity")).identityOf;
  people = await logInPeople();
});

afterAll(async () => {
  await backend?.close();
});

afterEach(async () => {
  vi.useRealTimers();
  await backend.control("faults", { method: "DELETE" });
});

const ENDUSER_SESSION = "arn:aws:sts::123456789012:assumed-role/ServiceCatalogEndusers/";

describe("sessionFor", () => {
  it("makes one AssumeRole for many concurrent requests, then serves the session from its cache", async () => {
    await resetCalls(backend);
    const identity = identityOf(people.alice);
    const concurrent = await Promise.all(Array.from({ length: 25 }, () => sessions.sessionFor(identity)));
    expect(new Set(concurrent).size).toBe(1);
    expect(await callCount(backend, "sts:AssumeRole")).toBe(1);

    const later = await sessions.sessionFor(identity);
    expect(later).toBe(concurrent[0]);
    expect(await callCount(backend, "sts:AssumeRole")).toBe(1);
    expect(later.principalArn).toBe(`${ENDUSER_SESSION}alice@example.org`);
  });

  it("renews for a client that needs more validity than the cached session has left, and caches the renewal", async () => {
    const identity = identityOf(people.bob);
    const cached = await sessions.sessionFor(identity);
    await resetCalls(backend);
    // More than the whole lifetime (AWS_SESSION_DURATION_SECONDS, 3600 s) is left by no cached session.
    const renewed = await sessions.endUserSessionForClient(identity, cached.credentials.expiration.getTime() - Date.now() + 1000);
    expect(renewed.credentials.accessKeyId).not.toBe(cached.credentials.accessKeyId);
    expect(renewed.principalArn).toBe(cached.principalArn);
    expect(await callCount(backend, "sts:AssumeRole")).toBe(1);
    expect(await sessions.sessionFor(identity)).toBe(renewed);
    expect(await sessions.endUserSessionForClient(identity, 15 * 60 * 1000)).toBe(renewed);
    expect(await callCount(backend, "sts:AssumeRole")).toBe(1);
  });

  it("gives each person their own session", async () => {
    await resetCalls(backend);
    const [alice, bob] = await Promise.all([sessions.sessionFor(identityOf(people.alice)), sessions.sessionFor(identityOf(people.bob))]);
    expect(bob.principalArn).toBe(`${ENDUSER_SESSION}bob@example.org`);
    expect(bob.credentials.accessKeyId).not.toBe(alice.credentials.accessKeyId);
  });

  it("carries the email as SourceIdentity and OwnerEmail/Department/Project as transitive session tags", async () => {
    const session = await sessions.sessionFor(identityOf(people.alice));
    const state = await emulatorState(backend);
    const issued = state.sessions.find((s) => s.accessKeyId === session.credentials.accessKeyId);
    expect(issued).toBeDefined();
    expect(issued!.arn).toBe(session.principalArn);
    expect(issued!.sourceIdentity).toBe("alice@example.org");
    expect(tagValue(issued!.tags, "OwnerEmail")).toBe("alice@example.org");
    expect(tagValue(issued!.tags, "Department")).toBe("Neuroscience");
    expect(tagValue(issued!.tags, "Project")).toBe("ADNI");
    expect([...(issued!.transitiveTagKeys ?? [])].sort()).toEqual(["Department", "OwnerEmail", "Project"]);
  });

  it("names the session after an awkward email in a way STS accepts, stable and within 64 characters", async () => {
    const { recordLogin } = await import("@/lib/services/users");
    const email = "zoe.o'brien+imaging-core@neuroscience.very-long-faculty-name.university-hospital.example.org";
    const zoe = await recordLogin({ issuer: ISSUER, subject: "zoe", email, name: "Zoë O'Brien", department: "Neuro/Imaging (Core)", project: null, groups: [] });
    const session = await sessions.sessionFor(identityOf(zoe));
    const name = session.principalArn.slice(ENDUSER_SESSION.length);
    expect(session.principalArn.startsWith(ENDUSER_SESSION)).toBe(true);
    expect(name.length).toBeLessThanOrEqual(64);
    expect(name).toMatch(/^[\w+=,.@-]+$/);
    expect(name.startsWith("zoe.o_brien+imaging-core@")).toBe(true);
    const { roleSessionNameFromEmail } = await import("@/lib/domain/session-name");
    expect(name).toBe(roleSessionNameFromEmail(email.toUpperCase()));
    const issued = (await emulatorState(backend)).sessions.find((s) => s.accessKeyId === session.credentials.accessKeyId)!;
    expect(tagValue(issued.tags, "Project")).toBe("unknown");
    expect(tagValue(issued.tags, "Department")).toBe("Neuro/Imaging _Core_");
  });

  it("renews the session once it is within five minutes of expiring", async () => {
    const identity = identityOf(people.admin);
    const first = await sessions.sessionFor(identity);
    await resetCalls(backend);
    vi.useFakeTimers({ toFake: ["Date"], now: Date.now() });
    const msLeft = first.credentials.expiration.getTime() - Date.now();
    vi.setSystemTime(Date.now() + msLeft - 6 * 60_000);
    expect(await sessions.sessionFor(identity)).toBe(first);
    vi.setSystemTime(Date.now() + 2 * 60_000);
    const renewed = await sessions.sessionFor(identity);
    expect(renewed).not.toBe(first);
    expect(renewed.credentials.expiration.getTime()).toBeGreaterThan(first.credentials.expiration.getTime());
    expect(await callCount(backend, "sts:AssumeRole")).toBe(1);
  });
});

describe("asUser", () => {
  it("calls Service Catalog only with the user's session, never the portal's own credentials", async () => {
    const { asUser, sc } = await import("@/lib/aws/service-catalog");
    await resetCalls(backend);
    await asUser(identityOf(people.bob), "Loading the catalog", (client) => sc.searchProducts(client));
    const calls = (await emulatorCalls(backend)).calls.filter((c) => c.service === "servicecatalog");
    expect(calls.length).toBeGreaterThan(0);
    expect(calls.every((c) => c.caller === `${ENDUSER_SESSION}bob@example.org`)).toBe(true);
  });

  it("replaces a session AWS says has expired and retries the call once", async () => {
    const { asUser, sc } = await import("@/lib/aws/service-catalog");
    const identity = identityOf(people.alice);
    const before = await sessions.sessionFor(identity);
    await backend.control("faults", { method: "POST", body: JSON.stringify({ expireSessions: true }) });
    await resetCalls(backend);
    const result = await asUser(identity, "Loading the catalog", (client) => sc.searchProducts(client));
    expect(result.length).toBeGreaterThan(0);
    expect(await callCount(backend, "sts:AssumeRole")).toBe(1);
    const after = await sessions.sessionFor(identity);
    expect(after).not.toBe(before);
  });
});
