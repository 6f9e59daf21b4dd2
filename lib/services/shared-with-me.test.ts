/**
 * Shared with me at a size a popular colleague reaches: 230 live buckets shared with one person
 * (more than the 200 the list once stopped at, without saying so), among shares with others,
 * terminated ones and one of the person's own, seeded straight into PostgreSQL. Paging reaches
 * every share exactly once, newest first; each row's bucket comes from its outputs; a page costs
 * one query whatever its size; a cursor the portal did not give is refused naming the field.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startPortalBackend, type PortalBackend } from "@/test/support/portal-backend";
import { queriesPerPage } from "@/test/support/queries";
import { sharedWithMeQuerySchema } from "@/lib/domain/shared-with-me";
import type { User } from "@/generated/prisma/client";

let backend: PortalBackend;
let sharing: typeof import("@/lib/services/sharing");
let reader: User;
let owner: User;

const LIVE = 230;
// Share j: every 10th product is terminated (not listed); shared j minutes after a fixed time, and
// three at the very same moment (the id breaks the tie).
const sinceOf = (j: number) => (j >= 100 && j < 103 ? 100 : j);

beforeAll(async () => {
  backend = await startPortalBackend();
  sharing = await import("@/lib/services/sharing");
  const { db } = await import("@/lib/db");
  const { principalArnOf } = await import("@/lib/services/identity");
  await db.$executeRawUnsafe(`
    INSERT INTO users (id, issuer, subject, email, name, role, aws_session_name, updated_at)
    SELECT gen_random_uuid(), 'https://idp.example', s, s || '@example.org', initcap(s), 'USER', s || '@example.org', now()
    FROM unnest(ARRAY['reader', 'sharer', 'bystander']) AS s`);
  reader = await db.user.findFirstOrThrow({ where: { subject: "reader" } });
  owner = await db.user.findFirstOrThrow({ where: { subject: "sharer" } });
  const bystander = await db.user.findFirstOrThrow({ where: { subject: "bystander" } });
  const total = 255; // 0 to 254, of which 25 terminated
  await db.$executeRawUnsafe(`
    INSERT INTO provisioned_products (id, owner_id, name, product_id, product_name, provisioning_artifact_id, provisioning_artifact_name, status, provision_token, outputs, updated_at)
    SELECT gen_random_uuid(), '${owner.id}', 'shared-' || lpad(j::text, 4, '0'), 'prod-aaaaaaaaaaaaa', 'Private bucket', 'pa-aaaaaaaaaaaaa', 'v1',
           (CASE WHEN j % 10 = 9 THEN 'TERMINATED' ELSE 'AVAILABLE' END)::"ProductStatus", 'shared-' || j,
           CASE WHEN j % 3 = 0 THEN '[]'::jsonb
                ELSE jsonb_build_array(jsonb_build_object('key', 'KmsKeyArn', 'value', 'arn:key'), jsonb_build_object('key', 'LogBucket', 'value', 'logs-' || j), jsonb_build_object('key', 'BucketName', 'value', 'bucket-' || j)) END,
           now()
    FROM generate_series(0, ${total - 1}) AS j`);
  // The reader's shares (j minutes after noon), a share of the same products with a bystander, and
  // one of the reader's own products shared with the reader (that one belongs in My products).
  await db.$executeRawUnsafe(`
    INSERT INTO product_shares (provisioned_product_id, principal_arn, since)
    SELECT p.id, a.arn, timestamp '2026-11-01 12:00' + ((CASE WHEN n BETWEEN 100 AND 102 THEN 100 ELSE n END) || ' minutes')::interval
    FROM (SELECT id, substring(name from 8)::int AS n FROM provisioned_products WHERE owner_id = '${owner.id}') p
    CROSS JOIN (VALUES ('${principalArnOf(reader)}'), ('${principalArnOf(bystander)}')) AS a(arn)`);
  await db.$executeRawUnsafe(`
    INSERT INTO provisioned_products (id, owner_id, name, product_id, product_name, provisioning_artifact_id, provisioning_artifact_name, status, provision_token, updated_at)
    VALUES (gen_random_uuid(), '${reader.id}', 'my-own', 'prod-aaaaaaaaaaaaa', 'Private bucket', 'pa-aaaaaaaaaaaaa', 'v1', 'AVAILABLE', 'my-own', now())`);
  await db.$executeRawUnsafe(`
    INSERT INTO product_shares (provisioned_product_id, principal_arn, since)
    SELECT id, '${principalArnOf(reader)}', timestamp '2026-12-01' FROM provisioned_products WHERE name = 'my-own'`);
}, 120_000);

afterAll(async () => {
  await backend?.close();
});

const query = (over: Record<string, unknown> = {}) => sharedWithMeQuerySchema.parse(over);

describe("Shared with me, paged", () => {
  it("pages through every live share exactly once, newest share first, with its owner and bucket", async () => {
    const seen: Awaited<ReturnType<typeof sharing.listSharedWithMe>>["items"] = [];
    let cursor: string | undefined;
    let pages = 0;
    do {
      const page = await sharing.listSharedWithMe(reader, query({ limit: 23, ...(cursor ? { cursor } : {}) }));
      expect(page.total).toBe(LIVE);
      seen.push(...page.items);
      cursor = page.nextCursor ?? undefined;
      pages++;
    } while (cursor && pages < 100);
    // 23 a page: the 6th page ends on the first of the three shared at the same moment.
    expect(pages).toBe(LIVE / 23);
    expect(seen).toHaveLength(LIVE);
    expect(new Set(seen.map((s) => s.id)).size).toBe(LIVE);
    const numbers = seen.map((s) => Number(s.name.slice("shared-".length)));
    expect(numbers.every((j) => j % 10 !== 9)).toBe(true);
    expect(seen.some((s) => s.name === "my-own")).toBe(false);
    const sinces = numbers.map(sinceOf);
    expect(sinces).toEqual([...sinces].sort((a, b) => b - a));
    const first = seen[0]!;
    expect(first).toMatchObject({ productName: "Private bucket", owner: { name: "Sharer", email: "sharer@example.org" } });
    expect(new Date(first.since).toISOString()).toBe(new Date(Date.UTC(2026, 10, 1, 12, sinceOf(numbers[0]!))).toISOString());
    for (const [i, share] of seen.entries()) {
      // The BucketName output, not the first output naming a bucket; none without outputs.
      expect(share.bucket, share.name).toBe(numbers[i]! % 3 === 0 ? null : `bucket-${numbers[i]}`);
    }
  });

  it("shows the newest few on My products and says how many there are", async () => {
    const preview = await sharing.listSharedWithMe(reader, { limit: 10 });
    expect(preview.items.map((s) => s.name)).toEqual(["shared-0254", "shared-0253", "shared-0252", "shared-0251", "shared-0250", "shared-0248", "shared-0247", "shared-0246", "shared-0245", "shared-0244"]);
    expect(preview).toMatchObject({ total: LIVE, nextCursor: expect.any(String) });
  });

  it("costs one query a page, whether it holds 1 or 100 rows", async () => {
    // The page and its total in one round trip.
    expect(await queriesPerPage([1, 10, 100], (limit) => sharing.listSharedWithMe(reader, query({ limit })))).toEqual([1, 1, 1]);
  });

  it("refuses a cursor it did not give, naming the field", async () => {
    expect(sharedWithMeQuerySchema.safeParse({ cursor: "bm90LWEtY3Vyc29y" }).error?.issues).toMatchObject([{ path: ["cursor"] }]);
    expect(sharedWithMeQuerySchema.safeParse({ limit: "101" }).error?.issues).toMatchObject([{ path: ["limit"], message: "limit is at most 100" }]);
    await expect(sharing.listSharedWithMe(reader, { limit: 10, cursor: "bm90LWEtY3Vyc29y" })).rejects.toMatchObject({ status: 422, issues: [{ path: "cursor" }] });
  });

  it("is empty for someone nothing is shared with", async () => {
    expect(await sharing.listSharedWithMe(owner, query())).toEqual({ items: [], nextCursor: null, total: 0 });
  });
});
