/**
 * The bad-input corpus: more than 200 requests a careless client or an attacker could send to
 * every route that changes something (and the name check and the audit log's filters), over HTTP
 * to the running portal.
 * Each must get a 4xx whose message or issues name the field, never a 500, never a message that
 * echoes a huge value; and the whole corpus must cause no AWS call at all (the product and form
 * data the valid parts need are loaded once before counting, as a person's form would have).
 */
import { readFileSync } from "node:fs";
import { expect, request as playwrightRequest, test, type APIRequestContext } from "@playwright/test";
import { awsActivity, launchBucket, myProducts, sameOrigin } from "./support/api";
import { baseURL } from "./support/ports";
import { storageStateFor } from "./support/users";

type Case = {
  name: string;
  method: "POST" | "PATCH" | "GET";
  url: string;
  body?: unknown;
  /** Sent as is instead of JSON. */
  raw?: string | Buffer;
  headers?: Record<string, string>;
  status: number;
  /** 422: an issue's path is this field or inside it. Other statuses: the message matches. */
  field: string | RegExp;
  /** Who sends it: alice unless it is an administrator's route. */
  as?: "admin";
};

test.describe.configure({ mode: "serial" });

let alice: APIRequestContext;
let admin: APIRequestContext;
let bucket: { id: string; name: string; productId: string; versionId: string };
let catalog: { bucket: { productId: string; versionId: string; pathId: string }; ec2: { productId: string; versionId: string; deprecatedId: string; pathId: string } };

test.beforeAll(async () => {
  alice = await playwrightRequest.newContext({ baseURL, storageState: storageStateFor("alice") });
  admin = await playwrightRequest.newContext({ baseURL, storageState: storageStateFor("admin") });
  bucket = await launchBucket(alice, `corpus-${Date.now().toString(36)}`);
  const products = ((await (await alice.get("/api/catalog")).json()) as { products: { productId: string; name: string }[] }).products;
  const detail = async (name: string) => {
    const productId = products.find((p) => p.name === name)!.productId;
    const d = (await (await alice.get(`/api/catalog/${productId}`)).json()) as { defaultVersionId: string; versions: { id: string; deprecated: boolean }[]; launchPaths: { id: string }[] };
    const pathId = d.launchPaths[0]!.id;
    // What the launch form loads: the product, and the form of the version it starts with.
    expect((await alice.get(`/api/catalog/${productId}/form?version=${d.defaultVersionId}&path=${pathId}`)).status()).toBe(200);
    return { productId, versionId: d.defaultVersionId, pathId, deprecatedId: d.versions.find((v) => v.deprecated)?.id ?? "" };
  };
  catalog = { bucket: await detail("S3 Private Encrypted Bucket"), ec2: await detail("EC2 Linux Instance") };
});

test.afterAll(async () => {
  await alice?.dispose();
  await admin?.dispose();
});

function launchCases(): Case[] {
  const ec2 = {
    name: "corpus-vm",
    productId: catalog.ec2.productId,
    provisioningArtifactId: catalog.ec2.versionId,
    pathId: catalog.ec2.pathId,
    parameters: { EC2InstanceType: "t3a.small", VolumeSize: "40", AMI: "AmazonLinuxDocker", JupyterPassword: "" },
    tags: [] as unknown[],
    tagOptions: { Schedule: "office-hours", ManagedBy: "Quartermaster" } as Record<string, unknown>,
  };
  const s3 = {
    name: "corpus-bucket",
    productId: catalog.bucket.productId,
    provisioningArtifactId: catalog.bucket.versionId,
    pathId: catalog.bucket.pathId,
    parameters: { BucketName: "", S3UserARNs: [] as unknown[], RestrictSameRegionDownload: "true" },
    tags: [] as unknown[],
    tagOptions: { ManagedBy: "Quartermaster" },
  };
  const launch = (name: string, body: unknown, field: string, status = 422): Case => ({ name: `launch: ${name}`, method: "POST", url: "/api/products", body, status, field });
  const cases: Case[] = [];

  // Parameters out of range, pattern or choice (EC2 and bucket).
  const ec2Params: [string, string, unknown][] = [
    ["VolumeSize", "below the minimum", "10"],
    ["VolumeSize", "above the maximum", "5001"],
    ["VolumeSize", "not a number", "abc"],
    ["VolumeSize", "exponent", "1e3"],
    ["VolumeSize", "hex", "0x10"],
    ["VolumeSize", "empty", ""],
    ["VolumeSize", "negative", "-40"],
    ["VolumeSize", "Infinity", "Infinity"],
    ["VolumeSize", "Arabic-Indic digits", "٤٠"],
    ["VolumeSize", "JSON number out of range", 10],
    ["VolumeSize", "object", { $gt: 1 }],
    ["VolumeSize", "NUL inside", "4\u00000"],
    ["EC2InstanceType", "not offered", "t2.micro"],
    ["EC2InstanceType", "empty", ""],
    ["EC2InstanceType", "wrong case", "T3A.SMALL"],
    ["EC2InstanceType", "trailing space", "t3a.small "],
    ["EC2InstanceType", "NUL", "t3a.small\u0000"],
    ["EC2InstanceType", "zero-width space", "t3a.\u200Bsmall"],
    ["EC2InstanceType", "list", ["t3a.small"]],
    ["AMI", "not offered", "ubuntu"],
    ["JupyterPassword", "too short", "short"],
    ["JupyterPassword", "spaces", "has spaces in it 123"],
    ["JupyterPassword", "too long", "x".repeat(65)],
    ["JupyterPassword", "RTL override", "\u202Epassword-1234"],
    ["JupyterPassword", "oversize", "x".repeat(5000)],
  ];
  for (const [key, what, value] of ec2Params) cases.push(launch(`${key} ${what}`, { ...ec2, parameters: { ...ec2.parameters, [key]: value } }, `parameters.${key}`));
  const s3Params: [string, string, unknown][] = [
    ["BucketName", "upper case", "UPPER-CASE"],
    ["BucketName", "too short", "ab"],
    ["BucketName", "starts with a hyphen", "-abc"],
    ["BucketName", "ends with a hyphen", "abc-"],
    ["BucketName", "double dot", "a..b"],
    ["BucketName", "IP address", "192.168.1.1"],
    ["BucketName", "xn-- prefix", "xn--abc"],
    ["BucketName", "sthree- prefix", "sthree-data"],
    ["BucketName", "too long", "a".repeat(64)],
    ["BucketName", "zero-width space", "my\u200Bbucket"],
    ["BucketName", "RTL override", "my\u202Ebucket"],
    ["BucketName", "NUL", "bucket\u0000"],
    ["BucketName", "100 KB", "b".repeat(100_000)],
    ["RestrictSameRegionDownload", "yes", "yes"],
    ["RestrictSameRegionDownload", "upper case", "TRUE"],
    ["RestrictSameRegionDownload", "empty", ""],
    ["RestrictSameRegionDownload", "boolean", true],
    ["S3UserARNs", "wildcard", ["*"]],
    ["S3UserARNs", "wildcard account", ["arn:aws:iam::*:root"]],
    ["S3UserARNs", "wildcard role", ["arn:aws:iam::123456789012:role/*"]],
    ["S3UserARNs", "wildcard session", ["arn:aws:sts::123456789012:assumed-role/*/x"]],
    ["S3UserARNs", "bucket ARN", ["arn:aws:s3:::someone-elses-bucket"]],
    ["S3UserARNs", "short account", ["arn:aws:iam::12345:role/x"]],
    ["S3UserARNs", "not an ARN", ["not-an-arn"]],
    ["S3UserARNs", "unknown partition", ["arn:aws-xx:iam::123456789012:role/x"]],
    ["S3UserARNs", "duplicate", ["arn:aws:iam::123456789012:user/a", "arn:aws:iam::123456789012:user/a"]],
    ["S3UserARNs", "empty item", [""]],
    ["S3UserARNs", "comma inside an item", ["arn:aws:iam::123456789012:role/a,arn:aws:iam::123456789012:role/b"]],
    ["S3UserARNs", "RTL override", ["arn:aws:iam::123456789012:role/Admin\u202E"]],
    ["S3UserARNs", "number item", [123]],
    ["S3UserARNs", "object", { arn: "x" }],
    ["S3UserARNs", "over 4 KB", Array.from({ length: 150 }, (_, i) => `arn:aws:iam::123456789012:role/Role${i}`)],
  ];
  for (const [key, what, value] of s3Params) cases.push(launch(`${key} ${what}`, { ...s3, parameters: { ...s3.parameters, [key]: value } }, `parameters.${key}`));

  // Names breaking AWS's rule.
  const names: [string, unknown][] = [
    ["empty", ""],
    ["blank", "   "],
    ["leading hyphen", "-start"],
    ["leading dot", ".start"],
    ["space", "has space"],
    ["slash", "a/b"],
    ["accent", "émoji"],
    ["129 characters", "n".repeat(129)],
    ["100 KB", "n".repeat(100_000)],
    ["NUL", "name\u0000"],
    ["RTL override", "name\u202Efdp.exe"],
    ["zero-width", "na\u200Bme"],
    ["markup", "<script>alert(1)</script>"],
    ["number", 42],
    ["missing", undefined],
  ];
  for (const [what, value] of names) cases.push(launch(`name ${what}`, { ...s3, name: value }, "name"));

  // Tags: reserved keys in any case, aws: prefixes, limits, duplicates, characters, shapes.
  const tagSets: [string, unknown, string][] = [
    ...["OwnerEmail", "ownerEmail", "OWNEREMAIL", "owneremail", "Department", "DEPARTMENT", "project", " Project "].map((key): [string, unknown, string] => [`reserved ${key}`, [{ key, value: "mallory@example.org" }], "tags.0.key"]),
    ...["aws:x", "AWS:x", "Aws:cloudformation:stack-name"].map((key): [string, unknown, string] => [`prefix ${key}`, [{ key, value: "x" }], "tags.0.key"]),
    ["51 tags", Array.from({ length: 51 }, (_, i) => ({ key: `K${i}`, value: "v" })), "tags"],
    ["46 tags (45 left after the portal's and the tag options')", Array.from({ length: 46 }, (_, i) => ({ key: `K${i}`, value: "v" })), "tags.45.key"],
    ["10,000 tags", Array.from({ length: 10_000 }, (_, i) => ({ key: `K${i}`, value: "v" })), "tags"],
    ["duplicate keys", [{ key: "Purpose", value: "a" }, { key: "Purpose", value: "b" }], "tags.1.key"],
    ["keys differing in case", [{ key: "Purpose", value: "a" }, { key: "PURPOSE", value: "b" }], "tags.1.key"],
    ["empty key", [{ key: "", value: "x" }], "tags.0.key"],
    ["129-character key", [{ key: "k".repeat(129), value: "x" }], "tags.0.key"],
    ["257-character value", [{ key: "Purpose", value: "v".repeat(257) }], "tags.0.value"],
    ["hash in the key", [{ key: "cost#centre", value: "x" }], "tags.0.key"],
    ["angle brackets in the value", [{ key: "Purpose", value: "<b>" }], "tags.0.value"],
    ["RTL override in the key", [{ key: "Purpose\u202E", value: "x" }], "tags.0.key"],
    ["zero-width in the value", [{ key: "Purpose", value: "th\u200Besis" }], "tags.0.value"],
    ["NUL in the value", [{ key: "Purpose", value: "a\u0000" }], "tags.0.value"],
    ["a tag option key as a tag", [{ key: "schedule", value: "x" }], "tags.0.key"],
    ["not a list", "Purpose=thesis", "tags"],
    ["an object", { Purpose: "thesis" }, "tags"],
    ["missing value", [{ key: "Purpose" }], "tags.0.value"],
    ["number key", [{ key: 1, value: "x" }], "tags.0.key"],
    ["extra field", [{ key: "Purpose", value: "x", propagate: true }], "tags.0"],
  ];
  for (const [what, tags, field] of tagSets) cases.push(launch(`tags: ${what}`, { ...ec2, tags }, field));

  // TagOptions.
  const tagOptionSets: [string, unknown, string][] = [
    ["value not offered", { ...ec2.tagOptions, Schedule: "never" }, "tagOptions.Schedule"],
    ["choice missing", { ManagedBy: "Quartermaster" }, "tagOptions.Schedule"],
    ["unknown key", { ...ec2.tagOptions, Team: "x" }, "tagOptions.Team"],
    ["reserved key", { ...ec2.tagOptions, Project: "x" }, "tagOptions.Project"],
    ["a list", ["office-hours"], "tagOptions"],
    ["number value", { ...ec2.tagOptions, Schedule: 1 }, "tagOptions.Schedule"],
  ];
  for (const [what, tagOptions, field] of tagOptionSets) cases.push(launch(`tag options: ${what}`, { ...ec2, tagOptions }, field));

  // Wrong shapes and forged ids.
  const shapes: [string, unknown, string][] = [
    ["a list", [s3], ""],
    ["a string", "launch please", ""],
    ["a number", 42, ""],
    ["null", null, ""],
    ["true", true, ""],
    ["empty object", {}, "name"],
    ["unknown field", { ...s3, ownerId: "someone-else" }, ""],
    ["productId a number", { ...s3, productId: 123 }, "productId"],
    ["productId markup", { ...s3, productId: "prod-<script>" }, "productId"],
    ["productId path traversal", { ...s3, productId: "../../x" }, "productId"],
    ["productId 100 KB", { ...s3, productId: `prod-${"a".repeat(100_000)}` }, "productId"],
    ["productId NUL", { ...s3, productId: "prod-abc\u0000defghijkl" }, "productId"],
    ["productId upper case", { ...s3, productId: catalog.bucket.productId.toUpperCase() }, "productId"],
    ["version of another kind", { ...s3, provisioningArtifactId: catalog.bucket.productId }, "provisioningArtifactId"],
    ["version that does not exist", { ...s3, provisioningArtifactId: "pa-zzzzzzzzzzzzz" }, "provisioningArtifactId"],
    ["deprecated version", { ...ec2, provisioningArtifactId: catalog.ec2.deprecatedId }, "provisioningArtifactId"],
    ["launch path of another kind", { ...s3, pathId: "lpv9-abcdefghijklm" }, "pathId"],
    ["launch path not offered", { ...s3, pathId: "lpv3-zzzzzzzzzzzzz" }, "pathId"],
    ["parameters a string", { ...s3, parameters: "BucketName=x" }, "parameters"],
    ["parameters a list", { ...s3, parameters: [] }, "parameters"],
    ["parameter name with a path", { ...s3, parameters: { ...s3.parameters, "../x": "1" } }, "parameters"],
    ["201 parameters", { ...s3, parameters: Object.fromEntries(Array.from({ length: 201 }, (_, i) => [`P${i}`, "x"])) }, "parameters"],
  ];
  for (const [what, body, field] of shapes) cases.push(launch(`shape: ${what}`, body, field));
  return cases;
}

function updateCases(url: string, kind: "update" | "preview"): Case[] {
  const method = kind === "update" ? "PATCH" : "POST";
  const base = {
    provisioningArtifactId: catalog.bucket.versionId,
    parameters: { BucketName: "", S3UserARNs: ["arn:aws:iam::123456789012:role/Analyst"], RestrictSameRegionDownload: "true" } as Record<string, unknown>,
    tags: [] as unknown[],
    tagOptions: { ManagedBy: "Quartermaster" },
  };
  const c = (name: string, body: unknown, field: string): Case => ({ name: `${kind}: ${name}`, method, url, body, status: 422, field });
  return [
    c("unchanged", { ...base, parameters: { BucketName: "", S3UserARNs: [], RestrictSameRegionDownload: "true" } }, "parameters"),
    c("rename", { ...base, name: "renamed" }, "name"),
    c("another product", { ...base, productId: catalog.ec2.productId }, "productId"),
    c("another launch path", { ...base, pathId: "lpv3-zzzzzzzzzzzzz" }, "pathId"),
    c("version that does not exist", { ...base, provisioningArtifactId: "pa-zzzzzzzzzzzzz" }, "provisioningArtifactId"),
    c("version id markup", { ...base, provisioningArtifactId: "pa-<img>" }, "provisioningArtifactId"),
    c("bucket name upper case", { ...base, parameters: { ...base.parameters, BucketName: "UPPER" } }, "parameters.BucketName"),
    c("restrict: yes", { ...base, parameters: { ...base.parameters, RestrictSameRegionDownload: "yes" } }, "parameters.RestrictSameRegionDownload"),
    c("wildcard principal", { ...base, parameters: { ...base.parameters, S3UserARNs: ["*"] } }, "parameters.S3UserARNs"),
    c("bucket ARN as principal", { ...base, parameters: { ...base.parameters, S3UserARNs: ["arn:aws:s3:::x"] } }, "parameters.S3UserARNs"),
    c("reserved tag", { ...base, tags: [{ key: "ownerEmail", value: "x" }] }, "tags.0.key"),
    c("aws: tag", { ...base, tags: [{ key: "aws:x", value: "x" }] }, "tags.0.key"),
    c("51 tags", { ...base, tags: Array.from({ length: 51 }, (_, i) => ({ key: `K${i}`, value: "v" })) }, "tags"),
    c("unknown field", { ...base, ownerId: "x" }, ""),
    c("a list", [base], ""),
    c("null", null, ""),
    c("parameters a string", { ...base, parameters: "x" }, "parameters"),
    c("100 KB value", { ...base, parameters: { ...base.parameters, BucketName: "b".repeat(100_000) } }, "parameters.BucketName"),
  ];
}

function terminateCases(url: string): Case[] {
  const c = (name: string, body: unknown, field: string): Case => ({ name: `terminate: ${name}`, method: "POST", url, body, status: 422, field });
  return [
    c("no confirmation", {}, "confirmName"),
    c("confirmation a number", { confirmName: 1 }, "confirmName"),
    c("confirmation 200 characters", { confirmName: "x".repeat(200) }, "confirmName"),
    c("another name", { confirmName: "not-this-one" }, "confirmName"),
    c("name with a zero-width space", { confirmName: `${bucket.name}\u200B` }, "confirmName"),
    c("name in upper case", { confirmName: bucket.name.toUpperCase() }, "confirmName"),
    c("unknown field", { confirmName: bucket.name, force: true }, ""),
    c("a list", [bucket.name], ""),
    c("a string", bucket.name, ""),
  ];
}

/** The Sharing panel's writes: the whole list of shared principals, each entry checked by the rules. */
function sharingCases(url: string, kind: "share" | "share preview"): Case[] {
  const c = (name: string, body: unknown, field: string): Case => ({ name: `${kind}: ${name}`, method: "POST", url, body, status: 422, field });
  const arn = (s: string) => ({ principals: [s] });
  return [
    c("no principals", {}, "principals"),
    c("principals a string", { principals: "arn:aws:iam::123456789012:role/Analyst" }, "principals"),
    c("principals an object", { principals: { arn: "x" } }, "principals"),
    c("a number entry", { principals: [123] }, "principals.0"),
    c("an empty entry", arn(""), "principals.0"),
    c("wildcard", arn("*"), "principals.0"),
    c("wildcard role", arn("arn:aws:iam::123456789012:role/*"), "principals.0"),
    c("wildcard account", arn("arn:aws:iam::*:role/x"), "principals.0"),
    c("account root", arn("arn:aws:iam::123456789012:root"), "principals.0"),
    c("bucket ARN", arn("arn:aws:s3:::someone-elses-bucket"), "principals.0"),
    c("KMS key ARN", arn("arn:aws:kms:us-east-1:123456789012:key/abc"), "principals.0"),
    c("IAM group", arn("arn:aws:iam::123456789012:group/Researchers"), "principals.0"),
    c("unknown partition", arn("arn:aws-xx:iam::123456789012:role/x"), "principals.0"),
    c("short account", arn("arn:aws:iam::12345:role/x"), "principals.0"),
    c("account outside the allow-list", arn("arn:aws:iam::999999999999:role/x"), "principals.0"),
    c("the owner's own principal", arn("arn:aws:sts::123456789012:assumed-role/ServiceCatalogEndusers/alice@example.org"), "principals.0"),
    c("duplicate", { principals: ["arn:aws:iam::123456789012:user/a", "arn:aws:iam::123456789012:user/a"] }, "principals.1"),
    c("RTL override", arn("arn:aws:iam::123456789012:role/Admin\u202E"), "principals.0"),
    c("NUL", arn("arn:aws:iam::123456789012:role/a\u0000b"), "principals.0"),
    c("10 KB entry", arn(`arn:aws:iam::123456789012:role/${"r".repeat(10_000)}`), "principals.0"),
    c("more than the bucket policy holds", { principals: Array.from({ length: 43 }, (_, i) => `arn:aws:iam::123456789012:role/Role${i}`) }, "principals"),
    c("501 entries", { principals: Array.from({ length: 501 }, (_, i) => `arn:aws:iam::123456789012:role/Role${i}`) }, "principals"),
    c("unknown field", { principals: ["arn:aws:iam::123456789012:role/Analyst"], force: true }, ""),
    c("a list", ["arn:aws:iam::123456789012:role/Analyst"], ""),
    c("null", null, ""),
  ];
}

function peopleSearchCases(): Case[] {
  const c = (name: string, query: string): Case => ({ name: `people search: ${name}`, method: "GET", url: `/api/people${query}`, status: 422, field: "q" });
  return [c("no q", ""), c("one character", "?q=a"), c("blank", "?q=%20%20"), c("200 characters", `?q=${"x".repeat(200)}`)];
}

function nameCheckCases(): Case[] {
  const c = (name: string, value: string): Case => ({ name: `name check: ${name}`, method: "GET", url: `/api/products/name-available?name=${encodeURIComponent(value)}`, status: 422, field: "name" });
  return [c("empty", ""), c("space", "has space"), c("leading hyphen", "-x"), c("129 characters", "x".repeat(129)), c("accent", "émoji"), c("slash", "a/b"), c("NUL", "a\u0000b"), c("RTL override", "a\u202Eb")];
}

/** The audit log's filters (the page's API and the CSV export), as an administrator sends them. */
/** POST /api/tokens: a personal access token's name and expiry (nothing here creates one). */
function tokenCases(): Case[] {
  const bad: [string, unknown, string][] = [
    ["name missing", { expiresInDays: 30 }, "name"],
    ["name blank", { name: "   " }, "name"],
    ["name 65 characters", { name: "n".repeat(65) }, "name"],
    ["name 10 KB", { name: "n".repeat(10_000) }, "name"],
    ["name with an RTL override", { name: "lap\u202Etop" }, "name"],
    ["name a number", { name: 42 }, "name"],
    ["expiry 91 days", { name: "x", expiresInDays: 91 }, "expiresInDays"],
    ["expiry 0 days", { name: "x", expiresInDays: 0 }, "expiresInDays"],
    ["expiry negative", { name: "x", expiresInDays: -1 }, "expiresInDays"],
    ["expiry fractional", { name: "x", expiresInDays: 1.5 }, "expiresInDays"],
    ["expiry as a string", { name: "x", expiresInDays: "30" }, "expiresInDays"],
    ["expiry huge", { name: "x", expiresInDays: 1e308 }, "expiresInDays"],
  ];
  return bad.map(([what, body, field]) => ({ name: `token: ${what}`, method: "POST", url: "/api/tokens", body, status: 422, field }));
}

function auditQueryCases(): Case[] {
  const forged = Buffer.from(JSON.stringify(["o", "2026-01-01T00:00:00.000Z", "1; DROP TABLE audit_events"])).toString("base64url");
  const filters: [string, Record<string, string>, string][] = [
    ["actor not an email", { actor: "not an email" }, "actor"],
    ["actor 300 characters", { actor: `${"a".repeat(290)}@example.org` }, "actor"],
    ["actor NUL", { actor: "alice\u0000@example.org" }, "actor"],
    ["actor SQL", { actor: "' OR 1=1 --" }, "actor"],
    ["action with a space", { action: "product launch" }, "action"],
    ["action a lone star", { action: "*" }, "action"],
    ["action a star inside", { action: "product.*.launch" }, "action"],
    ["action markup", { action: "<script>" }, "action"],
    ["action 10 KB", { action: "a".repeat(10_000) }, "action"],
    ["action LIKE pattern", { action: "product.%" }, "action"],
    ["target type upper case with a space", { targetType: "Provisioned Product" }, "targetType"],
    ["target id without its type", { targetId: "x" }, "targetType"],
    ["target id 10 KB", { targetType: "user", targetId: "x".repeat(10_000) }, "targetId"],
    ["target id NUL", { targetType: "user", targetId: "a\u0000b" }, "targetId"],
    ["target id RTL override", { targetType: "user", targetId: "a\u202Eb" }, "targetId"],
    ["outcome unknown", { outcome: "MAYBE" }, "outcome"],
    ["outcome lower case", { outcome: "denied" }, "outcome"],
    ["from not a date", { from: "yesterday" }, "from"],
    ["from without a zone", { from: "2026-11-25T09:00:00" }, "from"],
    ["from February 30th", { from: "2026-02-30" }, "from"],
    ["from year 99999", { from: "99999-01-01T00:00:00Z" }, "from"],
    ["to before from", { from: "2026-11-25T00:00:00Z", to: "2026-11-24T00:00:00Z" }, "to"],
  ];
  const paging: [string, Record<string, string>, string][] = [
    ["cursor garbage", { cursor: "garbage!" }, "cursor"],
    ["cursor 10 KB", { cursor: "a".repeat(10_000) }, "cursor"],
    ["cursor forged", { cursor: forged }, "cursor"],
    ["limit 0", { limit: "0" }, "limit"],
    ["limit 1000", { limit: "1000" }, "limit"],
    ["limit negative", { limit: "-5" }, "limit"],
    ["limit not a number", { limit: "ten" }, "limit"],
  ];
  const get = (url: string, what: string, query: Record<string, string>, field: string): Case => ({ name: `${url}: ${what}`, method: "GET", url: `${url}?${new URLSearchParams(query)}`, status: 422, field, as: "admin" });
  return [
    ...[...filters, ...paging].map(([what, query, field]) => get("/api/admin/audit", what, query, field)),
    ...filters.map(([what, query, field]) => get("/api/admin/audit/export", what, query, field)),
  ];
}

/** What a cross-site form, a wrong content type, broken JSON or a huge body does to each write route. */
function transportCases(routes: { method: "POST" | "PATCH"; url: string }[]): Case[] {
  const cases: Case[] = [];
  const json = JSON.stringify({ name: "x" });
  for (const { method, url } of routes) {
    const t = (name: string, extra: Partial<Case>): Case => ({ name: `${method} ${url.replace(/[0-9a-f-]{36}/, "{id}")}: ${name}`, method, url, status: 422, field: "", ...extra });
    cases.push(
      t("text/plain (what an HTML form can send cross-site)", { raw: json, headers: { origin: baseURL, "content-type": "text/plain" }, status: 415, field: /Content-Type: application\/json/ }),
      t("form-encoded", { raw: "name=x", headers: { origin: baseURL, "content-type": "application/x-www-form-urlencoded" }, status: 415, field: /Content-Type/ }),
      t("multipart", { raw: "--b\r\n\r\nx\r\n--b--", headers: { origin: baseURL, "content-type": "multipart/form-data; boundary=b" }, status: 415, field: /Content-Type/ }),
      t("content type left to the client", { raw: json, headers: { origin: baseURL }, status: 415, field: /Content-Type/ }),
      t("text/json", { raw: json, headers: { origin: baseURL, "content-type": "text/json" }, status: 415, field: /Content-Type/ }),
      t("another site's origin", { raw: json, headers: { origin: "http://evil.example", "content-type": "application/json" }, status: 403, field: /Cross-site/ }),
      t("a sibling subdomain", { raw: json, headers: { origin: "http://evil.localhost:3000", "sec-fetch-site": "same-site", "content-type": "application/json" }, status: 403, field: /Cross-site/ }),
      t("origin null", { raw: json, headers: { origin: "null", "content-type": "application/json" }, status: 403, field: /Cross-site/ }),
      t("no origin at all", { raw: json, headers: { "content-type": "application/json" }, status: 403, field: /Cross-site/ }),
      t("cross-site fetch", { raw: json, headers: { "sec-fetch-site": "cross-site", "content-type": "application/json" }, status: 403, field: /Cross-site/ }),
      t("unclosed JSON", { raw: '{"name": "x"', headers: sameOrigin, status: 400, field: /not valid JSON/ }),
      t("single quotes", { raw: "{'name': 'x'}", headers: sameOrigin, status: 400, field: /not valid JSON/ }),
      t("trailing comma", { raw: '{"name": "x",}', headers: sameOrigin, status: 400, field: /not valid JSON/ }),
      t("NaN", { raw: "NaN", headers: sameOrigin, status: 400, field: /not valid JSON/ }),
      t("invalid UTF-8", { raw: Buffer.from([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x7d]), headers: sameOrigin, status: 400, field: /UTF-8/ }),
      t("empty body", { raw: "", headers: sameOrigin, status: 422, field: "" }),
      t("2 MB body", { raw: JSON.stringify({ name: "x", pad: "p".repeat(2 * 1024 * 1024) }), headers: sameOrigin, status: 413, field: /too large/ }),
    );
  }
  return cases;
}

test("every bad request gets a 4xx naming the field, none a 500, and the whole corpus makes no AWS call", async () => {
  test.setTimeout(180_000);
  const productUrl = `/api/products/${bucket.id}`;
  const corpus: Case[] = [
    ...launchCases(),
    ...updateCases(productUrl, "update"),
    ...updateCases(`${productUrl}/preview`, "preview"),
    ...terminateCases(`${productUrl}/terminate`),
    ...sharingCases(`${productUrl}/sharing`, "share"),
    ...sharingCases(`${productUrl}/sharing/preview`, "share preview"),
    ...peopleSearchCases(),
    ...nameCheckCases(),
    ...auditQueryCases(),
    ...tokenCases(),
    ...transportCases([
      { method: "POST", url: "/api/tokens" },
      { method: "POST", url: "/api/products" },
      { method: "PATCH", url: productUrl },
      { method: "POST", url: `${productUrl}/preview` },
      { method: "POST", url: `${productUrl}/terminate` },
      { method: "POST", url: `${productUrl}/sharing` },
      { method: "POST", url: `${productUrl}/sharing/preview` },
    ]),
    { name: "update: an id that is not a UUID", method: "PATCH", url: "/api/products/000000000000000000000000000000000000", body: {}, status: 404, field: /not the id of a product/ },
    { name: "terminate: a 10 KB id", method: "POST", url: `/api/products/${"x".repeat(10_000)}/terminate`, body: { confirmName: "x" }, status: 404, field: /not the id of a product/ },
    { name: "the product page's poll: a 10 KB id", method: "GET", url: `/api/products/${"x".repeat(10_000)}/changes`, status: 404, field: /not the id of a product/ },
  ];
  expect(corpus.length).toBeGreaterThanOrEqual(200);

  const before = await awsActivity(alice);
  const failures: string[] = [];
  for (const c of corpus) {
    const sender = c.as === "admin" ? admin : alice;
    const response =
      c.raw !== undefined
        ? // A Buffer is sent as it is (a string with a JSON content type would be re-encoded when it does not parse).
          await sender.fetch(c.url, { method: c.method, headers: c.headers ?? {}, data: Buffer.from(c.raw) })
        : await sender.fetch(c.url, { method: c.method, ...(c.method === "GET" ? {} : { headers: sameOrigin, data: JSON.stringify(c.body === undefined ? null : c.body) }) });
    const status = response.status();
    const text = await response.text();
    let body: { error?: { message?: string; issues?: { path: string; message: string }[] } } = {};
    try {
      body = JSON.parse(text);
    } catch {
      failures.push(`${c.name}: the answer is not JSON (${status}): ${text.slice(0, 80)}`);
      continue;
    }
    const message = body.error?.message ?? "";
    if (status !== c.status) failures.push(`${c.name}: expected ${c.status}, got ${status}: ${message.slice(0, 160)}`);
    if (status >= 500) failures.push(`${c.name}: server error ${status}`);
    if (!message) failures.push(`${c.name}: no message`);
    if (text.length > 20_000) failures.push(`${c.name}: a ${text.length}-character answer (a value echoed back?)`);
    if (typeof c.field === "string") {
      const paths = (body.error?.issues ?? []).map((i) => i.path);
      const named = paths.some((p) => p === c.field || (c.field !== "" && p.startsWith(`${c.field}.`)));
      if (status === c.status && !named) failures.push(`${c.name}: no issue names "${c.field}" (issues at ${JSON.stringify(paths)}: ${message.slice(0, 120)})`);
    } else if (!c.field.test(message)) {
      failures.push(`${c.name}: message "${message.slice(0, 120)}" does not say ${c.field}`);
    }
  }
  const after = await awsActivity(alice);
  expect(failures).toEqual([]);
  expect(after, "AWS calls caused by the corpus").toEqual(before);
  // Nothing was launched or changed on the way.
  const mine = await myProducts(alice);
  expect(mine.filter((p) => p.name === "corpus-vm" || p.name === "corpus-bucket")).toEqual([]);
  expect(mine.find((p) => p.name === bucket.name)?.status).toBe("AVAILABLE");
});

test("a cross-site HTML form on a sibling origin cannot launch anything with the session cookie", async ({ browser }) => {
  // The attack from the review: a page on the same site (another port of localhost counts as the
  // same site, so the SameSite=Lax cookie goes along) posts a text/plain form whose body is JSON.
  const http = await import("node:http");
  const name = `csrf-${Date.now().toString(36)}`;
  const payload = JSON.stringify({ name, productId: catalog.bucket.productId, provisioningArtifactId: catalog.bucket.versionId, parameters: { S3UserARNs: ["arn:aws:iam::999999999999:root"] }, pad: "" });
  const fieldName = payload.slice(0, -2); // the form encodes name=value; the '=' lands inside "pad"
  const html = `<!doctype html><form id="f" method="POST" enctype="text/plain" action="${baseURL}/api/products"><input name='${fieldName}' value='"}'></form><script>document.getElementById("f").submit()</script>`;
  const server = http.createServer((_req, res) => res.writeHead(200, { "content-type": "text/html" }).end(html));
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as { port: number }).port;
  const context = await browser.newContext({ storageState: storageStateFor("alice") });
  try {
    const page = await context.newPage();
    const answer = page.waitForResponse((r) => r.url() === `${baseURL}/api/products` && r.request().method() === "POST");
    await page.goto(`http://localhost:${port}/`);
    const response = await answer;
    expect(response.request().headers()["content-type"]).toContain("text/plain");
    expect(response.status()).toBe(403);
    expect(((await response.json()) as { error: { message: string } }).error.message).toMatch(/Cross-site request refused/);
  } finally {
    await context.close();
    server.close();
  }
  const mine = await myProducts(alice);
  expect(mine.some((p) => p.name === name)).toBe(false);
});

test("pages opened with forged ids show the not-found page and ask AWS nothing", async ({ browser }) => {
  const context = await browser.newContext({ storageState: storageStateFor("alice") });
  const page = await context.newPage();
  try {
    const before = await awsActivity(alice);
    for (const path of ["/catalog/prod-%3Cscript%3E/launch", `/catalog/prod-${"a".repeat(5000)}/launch`, "/catalog/..%2F..%2Fx/launch", "/products/000000000000000000000000000000000000", "/products/not-a-uuid/update"]) {
      const response = await page.goto(path);
      expect(response?.status(), path).toBe(404);
      await expect(page.getByRole("heading", { name: "We couldn't find that page" })).toBeVisible();
    }
    expect(await awsActivity(alice)).toEqual(before);
  } finally {
    await context.close();
  }
});

test("hammering the name check gets 429 with Retry-After and a sentence saying when to try again", async () => {
  // Sent with fetch and bob's session cookie, all at once: Playwright's request context holds
  // some of 130 concurrent requests back for about 5 s, twice (seen at the parent commit too),
  // long enough for the budget to refill and let them all through.
  const state = JSON.parse(readFileSync(storageStateFor("bob"), "utf8")) as { cookies: { name: string; value: string }[] };
  const cookie = state.cookies.map((c) => `${c.name}=${c.value}`).join("; ");
  // The default budget is 120 name checks a minute per person: a burst of 120, then one more
  // every half second, so while the burst is answered a few more may get through.
  const started = performance.now();
  const answers = await Promise.all(
    Array.from({ length: 150 }, async (_, i) => {
      const response = await fetch(`${baseURL}/api/products/name-available?name=hammer-${i}`, { headers: { cookie } });
      return { status: response.status, retryAfter: response.headers.get("retry-after"), body: await response.text() };
    }),
  );
  const refilled = Math.ceil(((performance.now() - started) / 1000) * 2);
  const limited = answers.filter((r) => r.status === 429);
  expect(answers.filter((r) => r.status === 200).length).toBeLessThanOrEqual(120 + refilled);
  expect(limited.length).toBe(150 - answers.filter((r) => r.status === 200).length);
  expect(limited.length).toBeGreaterThanOrEqual(1);
  const retryAfter = Number(limited[0]!.retryAfter);
  expect(retryAfter).toBeGreaterThanOrEqual(1);
  expect(retryAfter).toBeLessThanOrEqual(60);
  expect((JSON.parse(limited[0]!.body) as { error: { message: string } }).error.message).toMatch(/^You can check at most 120 names a minute\. Try again in \d+ seconds?\.$/);
});
