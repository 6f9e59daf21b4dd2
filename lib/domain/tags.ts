/**
 * AWS tag rules and the portal's reserved tags.
 *
 * Pure: shared by the tags editor in the browser and the provisioning service on the server, so
 * a rule broken in the form is refused with the same words by the API, before any AWS call.
 *
 * Decisions:
 * - Keys and values are trimmed before they are checked and by the schema; a leading or trailing
 *   space is almost always a typing slip, and AWS would otherwise keep it as a different key.
 * - Reserved keys are compared case-insensitively (as RESERVED_TAG_KEYS promises): "ownerEmail"
 *   must not slip past "OwnerEmail".
 * - Duplicate keys are refused case-insensitively too. AWS tag keys are case-sensitive, but
 *   CloudFormation copies the product's tags onto every resource, and some of them (IAM roles and
 *   users) refuse two keys that differ only in case, which would fail the launch half-way. Two
 *   such keys are a mistake in practice anyway.
 * - The portal always sets every reserved tag it knows how to fill (see `buildReservedTags`), so
 *   the room left for the user's tags does not depend on who the user is.
 */

import { isReservedTagKey } from "./reserved-tag-keys";

/** What AWS allows on one resource (and what CloudFormation propagates from the product). */
export const MAX_TAGS_PER_RESOURCE = 50;
export const TAG_KEY_MAX_LENGTH = 128;
export const TAG_VALUE_MAX_LENGTH = 256;

/** AWS's character rule for tag keys and values: Unicode letters, digits, whitespace and `_ . : / = + - @`. */
export const TAG_ALLOWED_CHARACTERS = /^[\p{L}\p{Z}\p{N}_.:/=+\-@]*$/u;
const TAG_DISALLOWED_CHARACTER = /[^\p{L}\p{Z}\p{N}_.:/=+\-@]/gu;

/** The characters a researcher may use, in words, for messages. */
const ALLOWED_IN_WORDS = "letters, digits, spaces and _ . : / = + - @";

export const DEFAULT_RESERVED_TAG_KEYS: readonly string[] = ["OwnerEmail", "Department", "Project"];

/** The value the portal writes for a reserved tag when the user's record has nothing for it. */
export const UNKNOWN_TAG_VALUE = "unknown";

export type Tag = { key: string; value: string };
export type TagIssue = { index: number; field: "key" | "value"; message: string };
export type UserIdentity = { email: string; department?: string | null; project?: string | null };

/** AWS counts characters (code points), not UTF-16 units. */
export function characterCount(s: string): number {
  return Array.from(s).length;
}

function truncateCharacters(s: string, max: number): string {
  const chars = Array.from(s);
  return chars.length <= max ? s : chars.slice(0, max).join("");
}

function lower(s: string): string {
  return s.toLowerCase();
}

export { isReservedTagKey };

/** Characters in `s` that AWS does not accept in a tag, each listed once, for messages. */
function disallowedCharacters(s: string): string[] {
  return [...new Set(s.match(TAG_DISALLOWED_CHARACTER) ?? [])];
}

function describeCharacters(chars: string[]): string {
  return chars.map((c) => `"${c}"`).join(", ");
}

/**
 * The reserved tags the portal can fill from a user's identity, keyed by the lower-cased reserved
 * key. A reserved key outside this table (an admin may reserve e.g. "CostCenter") is still
 * refused from users, but the portal does not set it.
 */
const IDENTITY_FIELDS: Record<string, (identity: UserIdentity) => string | null | undefined> = {
  owneremail: (identity) => identity.email.trim().toLowerCase(),
  department: (identity) => identity.department,
  project: (identity) => identity.project,
};

/** How many tags `buildReservedTags` adds for these reserved keys, whoever the user is. */
export function countReservedTags(reservedKeys: readonly string[]): number {
  const seen = new Set<string>();
  for (const key of reservedKeys) {
    const k = lower(key.trim());
    if (k in IDENTITY_FIELDS) seen.add(k);
  }
  return seen.size;
}

/**
 * Makes any string acceptable as an AWS tag value: disallowed characters become "_" (so the
 * value stays recognisable) and it is cut to 256 characters.
 */
export function sanitizeTagValue(value: string): string {
  return truncateCharacters(value.trim().replace(TAG_DISALLOWED_CHARACTER, "_"), TAG_VALUE_MAX_LENGTH);
}

/**
 * The tags the portal sets itself from the user's identity, in the casing of the configured keys.
 * A missing or blank department or project becomes "unknown" rather than being left out: cost
 * reports then show the gap explicitly, IAM conditions that require the tag still match, and
 * the tag budget stays the same for every user.
 */
export function buildReservedTags(identity: UserIdentity, reservedKeys: readonly string[]): Tag[] {
  const tags: Tag[] = [];
  const seen = new Set<string>();
  for (const rawKey of reservedKeys) {
    const key = rawKey.trim();
    const k = lower(key);
    const source = IDENTITY_FIELDS[k];
    if (!source || seen.has(k)) continue;
    seen.add(k);
    const value = sanitizeTagValue(source(identity) ?? "");
    tags.push({ key, value: value === "" ? UNKNOWN_TAG_VALUE : value });
  }
  return tags;
}

/**
 * The final tag list for AWS: the user's tags (trimmed) followed by the reserved ones. A user tag
 * whose key matches a reserved key in any casing is dropped, so the portal's value always wins
 * even if validation was skipped.
 */
export function mergeTags(userTags: readonly Tag[], reservedTags: readonly Tag[]): Tag[] {
  const reserved = reservedTags.map((t) => t.key);
  const kept = userTags
    .map((t) => ({ key: t.key.trim(), value: t.value.trim() }))
    .filter((t) => !isReservedTagKey(t.key, reserved));
  return [...kept, ...reservedTags.map((t) => ({ ...t }))];
}

export type ValidateUserTagsOptions = {
  reservedKeys: readonly string[];
  /**
   * Tag keys set by other means on the same launch (the product's TagOptions): they count toward
   * AWS's limit and a user tag may not repeat them.
   */
  otherTagKeys?: readonly string[];
  /** How many tags the portal adds itself; defaults to `countReservedTags(reservedKeys)`. */
  reservedTagCount?: number;
};

/** Checks one key on its own (no knowledge of the other rows). */
export function tagKeyIssue(rawKey: string, reservedKeys: readonly string[]): string | null {
  const key = rawKey.trim();
  if (key === "") return "Tag key is required";
  if (isReservedTagKey(key, reservedKeys)) {
    const canonical = reservedKeys.find((r) => lower(r.trim()) === lower(key))?.trim() ?? key;
    return canonical === key
      ? `Tag key "${key}" is reserved: the portal sets it for you`
      : `Tag key "${key}" is reserved (as "${canonical}"): the portal sets it for you`;
  }
  const length = characterCount(key);
  if (length > TAG_KEY_MAX_LENGTH) {
    return `Tag key "${truncateCharacters(key, 20)}…" is ${length} characters long: AWS allows at most ${TAG_KEY_MAX_LENGTH}`;
  }
  if (lower(key).startsWith("aws:")) return `Tag key "${key}" may not start with "aws:": that prefix is kept for AWS's own tags`;
  const bad = disallowedCharacters(key);
  if (bad.length > 0) {
    return `Tag key "${key}" contains ${describeCharacters(bad)}: only ${ALLOWED_IN_WORDS} are allowed`;
  }
  return null;
}

/** Checks one value on its own. `key` only names the tag in the message. */
export function tagValueIssue(rawValue: string, key: string): string | null {
  const value = rawValue.trim();
  const name = key.trim() === "" ? "Tag value" : `Value of tag "${key.trim()}"`;
  const length = characterCount(value);
  if (length > TAG_VALUE_MAX_LENGTH) return `${name} is ${length} characters long: AWS allows at most ${TAG_VALUE_MAX_LENGTH}`;
  const bad = disallowedCharacters(value);
  if (bad.length > 0) return `${name} contains ${describeCharacters(bad)}: only ${ALLOWED_IN_WORDS} are allowed`;
  return null;
}

/** How many tags a user may add on top of the portal's (and the TagOptions'). */
export function userTagAllowance(options: ValidateUserTagsOptions): number {
  const reservedCount = options.reservedTagCount ?? countReservedTags(options.reservedKeys);
  return Math.max(0, MAX_TAGS_PER_RESOURCE - reservedCount - (options.otherTagKeys?.length ?? 0));
}

/**
 * Every problem with the user's tags, per row, in row order. Each row gets at most one issue per
 * field (the first rule it breaks), so the form shows one clear message under each input.
 */
export function validateUserTags(tags: readonly Tag[], options: ValidateUserTagsOptions): TagIssue[] {
  const issues: TagIssue[] = [];
  const firstRowByKey = new Map<string, number>();
  const otherKeys = new Map((options.otherTagKeys ?? []).map((k) => [lower(k.trim()), k.trim()] as const));

  tags.forEach((tag, index) => {
    const key = tag.key.trim();
    const keyIssue = tagKeyIssue(key, options.reservedKeys);
    if (keyIssue) {
      issues.push({ index, field: "key", message: keyIssue });
    } else if (otherKeys.has(lower(key))) {
      issues.push({ index, field: "key", message: `Tag key "${key}" is already set by the tag option "${otherKeys.get(lower(key))}"` });
    } else {
      const first = firstRowByKey.get(lower(key));
      if (first === undefined) {
        firstRowByKey.set(lower(key), index);
      } else {
        const firstKey = tags[first]?.key.trim() ?? key;
        issues.push({
          index,
          field: "key",
          message:
            firstKey === key
              ? `Tag key "${key}" is used twice: each key may appear only once`
              : `Tag key "${key}" repeats "${firstKey}": keys that differ only in capitals count as the same key`,
        });
      }
    }
    const valueIssue = tagValueIssue(tag.value, key);
    if (valueIssue) issues.push({ index, field: "value", message: valueIssue });
  });

  const allowance = userTagAllowance(options);
  if (tags.length > allowance) {
    const reservedCount = options.reservedTagCount ?? countReservedTags(options.reservedKeys);
    const others = options.otherTagKeys?.length ?? 0;
    const setByPortal = others > 0 ? `the portal adds ${reservedCount} and tag options add ${others}` : `the portal adds ${reservedCount}`;
    issues.push({
      index: allowance,
      field: "key",
      message: `Too many tags: AWS allows ${MAX_TAGS_PER_RESOURCE} per resource and ${setByPortal}, so you may add at most ${allowance} (you have ${tags.length})`,
    });
  }
  return issues.sort((a, b) => a.index - b.index || (a.field === b.field ? 0 : a.field === "key" ? -1 : 1));
}
