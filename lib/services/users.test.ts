/**
 * Logins as recordLogin sees them, against PostgreSQL: who is refused (email not verified, an AWS
 * session name another user holds), what the administrator is told, and that the database decides
 * when two logins race for one name.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { startPortalBackend, type PortalBackend } from "@/test/support/portal-backend";
import { ISSUER } from "@/test/support/portal-fixtures";
import { clearLogs, logLines } from "@/test/support/captured-logs";
import type { LoginClaims } from "@/lib/domain/claims";

vi.mock("@/lib/logger", async (original) => (await import("@/test/support/captured-logs")).loggerWritingToMemory(await original()));

let backend: PortalBackend;
let users: typeof import("@/lib/services/users");
let db: typeof import("@/lib/db").db;
let awsSessionNameFromEmail: typeof import("@/lib/domain/session-name").awsSessionNameFromEmail;

beforeAll(async () => {
  backend = await startPortalBackend();
  users = await import("@/lib/services/users");
  db = (await import("@/lib/db")).db;
  awsSessionNameFromEmail = (await import("@/lib/domain/session-name")).awsSessionNameFromEmail;
});
afterAll(async () => backend?.close());
beforeEach(() => clearLogs());

let subjects = 0;
function claims(overrides: Partial<LoginClaims> = {}): LoginClaims {
  subjects += 1;
  return { issuer: ISSUER, subject: `person-${subjects}`, email: `person-${subjects}@example.org`, name: null, department: null, project: null, groups: [], ...overrides };
}

const deniedLogins = (reason: string) => db.auditEvent.findMany({ where: { action: "auth.login", outcome: "DENIED", details: { path: ["reason"], equals: reason } } });

describe("recordLogin", () => {
  it("stores the name the user's AWS sessions carry", async () => {
    const user = await users.recordLogin(claims({ email: "carol@example.org" }));
    expect(user.awsSessionName).toBe("carol@example.org");
    const long = `${"d".repeat(70)}@example.org`;
    const dave = await users.recordLogin(claims({ email: long }));
    expect(dave.awsSessionName).toBe(awsSessionNameFromEmail(long));
  });

  it("refuses an email the provider says it has not verified, creating nobody", async () => {
    const login = claims({ email: "mallory@example.org", emailVerified: false });
    await expect(users.recordLogin(login)).rejects.toMatchObject({ name: "LoginRefusedError", reason: "EmailNotVerified" });
    expect(await db.user.findUnique({ where: { issuer_subject: { issuer: ISSUER, subject: login.subject } } })).toBeNull();
    expect(await deniedLogins("email-not-verified")).toEqual([expect.objectContaining({ actorId: null, details: expect.objectContaining({ subject: login.subject, email: "mallory@example.org" }) })]);
  });

  it("lets in a login whose provider says the email is verified, or says nothing", async () => {
    await expect(users.recordLogin(claims({ emailVerified: true }))).resolves.toMatchObject({ role: "USER" });
    await expect(users.recordLogin(claims())).resolves.toMatchObject({ role: "USER" });
  });

  it("refuses a second person whose email derives the same AWS session name, and tells the administrator", async () => {
    // Someone picks as their email the hashed session name of a person with an unusual email:
    // both would be the same principal, and see each other's products.
    const victim = await users.recordLogin(claims({ email: '"erin smith"@example.org' }));
    const name = victim.awsSessionName!;
    expect(name).toMatch(/^_erin_smith_@example\.org-[0-9a-f]{20}$/);
    expect(awsSessionNameFromEmail(name)).toBe(name);

    const impostor = claims({ email: name });
    clearLogs();
    await expect(users.recordLogin(impostor)).rejects.toMatchObject({ reason: "AwsIdentityClash" });
    expect(await db.user.findUnique({ where: { issuer_subject: { issuer: ISSUER, subject: impostor.subject } } })).toBeNull();

    const errors = logLines().filter((line) => line.level === 50);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({ otherUserId: victim.id, awsSessionName: name, issuer: ISSUER, subject: impostor.subject, userId: null });
    const [audit] = await deniedLogins("aws-identity-clash");
    expect(audit).toMatchObject({ outcome: "DENIED", details: expect.objectContaining({ otherUserId: victim.id, awsSessionName: name, subject: impostor.subject }) });

    // The first holder still signs in as before.
    await expect(users.recordLogin({ ...claims(), subject: victim.subject, email: '"erin smith"@example.org' })).resolves.toMatchObject({ id: victim.id, awsSessionName: name });
  });

  it("refuses an existing user who changes to an email that derives another user's name, naming both users", async () => {
    const frank = await users.recordLogin(claims({ email: "frank@example.org" }));
    const grace = await users.recordLogin(claims({ email: "grace@example.org" }));
    clearLogs();
    await expect(users.recordLogin({ ...claims(), subject: grace.subject, email: "frank@example.org" })).rejects.toMatchObject({ reason: "AwsIdentityClash" });
    expect(logLines().filter((line) => line.level === 50)).toEqual([expect.objectContaining({ userId: grace.id, otherUserId: frank.id, awsSessionName: "frank@example.org" })]);
    expect(await db.user.findUniqueOrThrow({ where: { id: grace.id } })).toMatchObject({ email: "grace@example.org", awsSessionName: "grace@example.org" });
  });

  it("lets exactly one of two simultaneous logins have a name, whichever comes first", async () => {
    for (let round = 0; round < 5; round++) {
      const unusual = `"heidi ${round}"@example.org`;
      const crafted = awsSessionNameFromEmail(unusual);
      const outcomes = await Promise.allSettled([users.recordLogin(claims({ email: unusual })), users.recordLogin(claims({ email: crafted }))]);
      expect(outcomes.filter((o) => o.status === "fulfilled")).toHaveLength(1);
      const refused = outcomes.filter((o) => o.status === "rejected");
      expect(refused).toHaveLength(1);
      expect((refused[0] as PromiseRejectedResult).reason).toMatchObject({ reason: "AwsIdentityClash" });
      expect(await db.user.count({ where: { awsSessionName: crafted } })).toBe(1);
    }
  });
});
