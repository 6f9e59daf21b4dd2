import "server-only";
import { createHash, randomBytes } from "node:crypto";
import { db } from "@/lib/db";
import { can } from "@/lib/domain/permissions";
import { ConflictError, ForbiddenError, NotFoundError, TooManyRequestsError, UnauthenticatedError, ValidationError } from "@/lib/errors";
import { isRowId } from "@/lib/domain/ids";
import {
  ACCESS_TOKEN_PATTERN,
  ACCESS_TOKEN_PREFIX,
  CREDENTIAL_REQUESTS_PER_MINUTE,
  MAX_ACTIVE_TOKENS,
  MIN_CREDENTIAL_VALIDITY_MS,
  createAccessTokenSchema,
  tokenStatus,
  type AccessTokenStatus,
} from "@/lib/domain/access-tokens";
import { endUserSessionForClient } from "@/lib/aws/sessions";
import { fromSessionError } from "@/lib/aws/errors";
import { recordAudit } from "@/lib/services/audit";
import { identityOf } from "@/lib/services/identity";
import { takeFromBudget } from "@/lib/services/rate-limits";
import type { AccessToken, Prisma, User } from "@/generated/prisma/client";

/**
 * Personal access tokens (rules in lib/domain/access-tokens.ts) and the credentials they buy.
 * Creating and revoking are audit events; a use only updates the token's last-used time and IP
 * (the CLI asks every hour on every machine: one audit row per call would drown the log).
 */
type Actor = { user: User; requestId?: string | null };

export type AccessTokenView = {
  id: string;
  name: string;
  createdAt: string;
  expiresAt: string;
  lastUsedAt: string | null;
  lastUsedIp: string | null;
  revokedAt: string | null;
  status: AccessTokenStatus;
};

const DAY_MS = 86_400_000;

function hashOf(token: string): string {
  return createHash("sha256").update(token, "utf8").digest("hex");
}

function viewOf(token: AccessToken, now = new Date()): AccessTokenView {
  return {
    id: token.id,
    name: token.name,
    createdAt: token.createdAt.toISOString(),
    expiresAt: token.expiresAt.toISOString(),
    lastUsedAt: token.lastUsedAt?.toISOString() ?? null,
    lastUsedIp: token.lastUsedIp,
    revokedAt: token.revokedAt?.toISOString() ?? null,
    status: tokenStatus(token, now),
  };
}

const activeWhere = (userId: string): Prisma.AccessTokenWhereInput => ({ userId, revokedAt: null, expiresAt: { gt: new Date() } });

/** A new token for the actor; the secret is in the answer and nowhere else. */
export async function createAccessToken(actor: Actor, input: unknown): Promise<{ token: string; accessToken: AccessTokenView }> {
  const parsed = createAccessTokenSchema.safeParse(input);
  if (!parsed.success) throw ValidationError.fromIssues(parsed.error.issues);
  const { name, expiresInDays } = parsed.data;
  const token = `${ACCESS_TOKEN_PREFIX}${randomBytes(32).toString("base64url")}`;
  const created = await db.$transaction(async (tx) => {
    // One creation at a time per person, so two racing requests cannot both take the tenth place.
    await tx.$queryRaw`SELECT id FROM users WHERE id = ${actor.user.id}::uuid FOR UPDATE`;
    const active = await tx.accessToken.count({ where: activeWhere(actor.user.id) });
    if (active >= MAX_ACTIVE_TOKENS) throw new ConflictError(`You can have at most ${MAX_ACTIVE_TOKENS} active tokens. Revoke one you no longer use first.`);
    return tx.accessToken.create({ data: { userId: actor.user.id, name, tokenHash: hashOf(token), expiresAt: new Date(Date.now() + expiresInDays * DAY_MS) } });
  });
  await recordAudit({ actor: actor.user, action: "token.create", target: { type: "access-token", id: created.id }, outcome: "SUCCESS", requestId: actor.requestId, details: { name, expiresAt: created.expiresAt.toISOString() } });
  return { token, accessToken: viewOf(created) };
}

/** A person's tokens, newest first: their own, or anyone's for an admin. */
export async function listAccessTokens(actor: Actor, userId: string = actor.user.id): Promise<AccessTokenView[]> {
  await assertMayManage(actor, userId);
  const tokens = await db.accessToken.findMany({ where: { userId }, orderBy: [{ createdAt: "desc" }, { id: "desc" }] });
  const now = new Date();
  return tokens.map((t) => viewOf(t, now));
}

/** Revokes one token of `userId` (the actor's own unless they are an admin). Revoking twice is harmless. */
export async function revokeAccessToken(actor: Actor, tokenId: string, userId: string = actor.user.id): Promise<AccessTokenView> {
  await assertMayManage(actor, userId);
  const token = isRowId(tokenId) ? await db.accessToken.findFirst({ where: { id: tokenId, userId } }) : null;
  if (!token) throw new NotFoundError("No such token.");
  if (token.revokedAt) return viewOf(token);
  // Compare-and-set: of two revocations, one writes and records.
  const { count } = await db.accessToken.updateMany({ where: { id: token.id, revokedAt: null }, data: { revokedAt: new Date() } });
  const revoked = await db.accessToken.findUniqueOrThrow({ where: { id: token.id } });
  if (count === 1) {
    await recordAudit({ actor: actor.user, action: "token.revoke", target: { type: "access-token", id: token.id }, outcome: "SUCCESS", requestId: actor.requestId, details: { name: token.name, ownerId: userId } });
  }
  return viewOf(revoked);
}

/** Revokes every live token of a person (offboarding); one audit event naming how many. */
export async function revokeAllAccessTokens(actor: Actor, userId: string): Promise<number> {
  await assertMayManage(actor, userId);
  const { count } = await db.accessToken.updateMany({ where: { userId, revokedAt: null }, data: { revokedAt: new Date() } });
  if (count > 0) {
    await recordAudit({ actor: actor.user, action: "token.revoke-all", target: { type: "user", id: userId }, outcome: "SUCCESS", requestId: actor.requestId, details: { count } });
  }
  return count;
}

async function assertMayManage(actor: Actor, userId: string): Promise<void> {
  if (userId === actor.user.id) return;
  if (!can(actor.user.role, "user:manage")) throw new ForbiddenError();
  if (!isRowId(userId) || !(await db.user.findUnique({ where: { id: userId }, select: { id: true } }))) throw new NotFoundError("Nobody with that id has signed in.");
}

const INVALID = "The access token is not valid. Create a new one on the portal's CLI access page.";

/**
 * Who a bearer token speaks for: refused (401) when it is unknown, revoked, expired or its owner
 * is deactivated; then one request from the token's budget (429 past it); then its last use is
 * noted. Looked up by the hash alone (a unique index): no secret is compared character by character.
 */
export async function authenticateAccessToken(token: string, ip: string | null): Promise<{ user: User; tokenId: string }> {
  if (!ACCESS_TOKEN_PATTERN.test(token)) throw new UnauthenticatedError(INVALID);
  const found = await db.accessToken.findUnique({ where: { tokenHash: hashOf(token) }, include: { user: true } });
  if (!found) throw new UnauthenticatedError(INVALID);
  const status = tokenStatus(found);
  if (status === "revoked") throw new UnauthenticatedError(`The access token "${found.name}" has been revoked. Create a new one on the portal's CLI access page.`);
  if (status === "expired") throw new UnauthenticatedError(`The access token "${found.name}" expired on ${found.expiresAt.toISOString()}. Create a new one on the portal's CLI access page.`);
  if (found.user.deactivatedAt) throw new UnauthenticatedError("This account has been deactivated by an administrator.");
  const budget = await takeFromBudget(`access-token:${found.id}`, CREDENTIAL_REQUESTS_PER_MINUTE, 60_000);
  if (!budget.taken) {
    const seconds = Math.max(1, Math.ceil(budget.waitMs / 1000));
    throw new TooManyRequestsError(`A token can be used at most ${CREDENTIAL_REQUESTS_PER_MINUTE} times a minute. Try again in ${seconds} second${seconds === 1 ? "" : "s"}.`, seconds);
  }
  await db.accessToken.update({ where: { id: found.id }, data: { lastUsedAt: new Date(), lastUsedIp: ip?.slice(0, 64) ?? null } });
  const { user, ...rest } = found;
  return { user, tokenId: rest.id };
}

/** The AWS CLI's credential_process answer: the person's own end-user session, ≥ 15 minutes left. */
export type ProcessCredentials = { Version: 1; AccessKeyId: string; SecretAccessKey: string; SessionToken: string; Expiration: string };

export async function processCredentialsFor(user: User): Promise<ProcessCredentials> {
  // A minute over botocore's window, so the answer is not already due for refresh when it lands.
  const session = await endUserSessionForClient(identityOf(user), MIN_CREDENTIAL_VALIDITY_MS + 60_000).catch((error: unknown) => {
    throw fromSessionError(error, "get your AWS credentials");
  });
  const { accessKeyId, secretAccessKey, sessionToken, expiration } = session.credentials;
  if (!sessionToken) throw new Error("the end-user session has no session token");
  return { Version: 1, AccessKeyId: accessKeyId, SecretAccessKey: secretAccessKey, SessionToken: sessionToken, Expiration: expiration.toISOString() };
}
