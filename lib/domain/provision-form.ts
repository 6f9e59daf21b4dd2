/**
 * What the launch and update form need besides the schema, without zod: the TagOptions offered,
 * their starting values, and whether a version may be chosen. provision-request.ts re-exports
 * these for the server; the form imports them from here and loads the schema when it needs it.
 */
import { isReservedTagKey } from "./reserved-tag-keys";
import type { Tag } from "./tags";

export type TagOptionChoices = { key: string; values: string[] };
export type RequestMode = "launch" | "update";

/** The TagOption keys offered for choice, with their allowed values (reserved keys left out). */
export function offeredTagOptions(tagOptions: readonly TagOptionChoices[], reservedKeys: readonly string[]): Map<string, string[]> {
  const offered = new Map<string, string[]>();
  for (const option of tagOptions) {
    if (option.key.trim() === "" || isReservedTagKey(option.key, reservedKeys)) continue;
    const values = offered.get(option.key) ?? [];
    for (const value of option.values) if (!values.includes(value)) values.push(value);
    offered.set(option.key, values);
  }
  return offered;
}

/** The form's starting choices: the only value of single-value keys, "" (choose) for the rest. */
export function initialTagOptionValues(tagOptions: readonly TagOptionChoices[], reservedKeys: readonly string[]): Record<string, string> {
  const initial: Record<string, string> = {};
  for (const [key, values] of offeredTagOptions(tagOptions, reservedKeys)) initial[key] = values.length === 1 ? (values[0] ?? "") : "";
  return initial;
}

/** The tags the chosen TagOptions add, in the offered order. */
export function tagOptionTags(chosen: Record<string, string>): Tag[] {
  return Object.entries(chosen).map(([key, value]) => ({ key, value }));
}

export type VersionChoice = { id: string; name: string; deprecated: boolean };

/**
 * Why the chosen version cannot be used, or null. `currentVersionId`: the version an existing
 * product runs now (update), which it may keep even when deprecated.
 */
export function versionIssue(versions: readonly VersionChoice[], chosenId: string, context: { mode: RequestMode; currentVersionId?: string | null }): string | null {
  const version = versions.find((v) => v.id === chosenId);
  if (!version) return "That version does not exist for this product: choose one of the listed versions";
  if (!version.deprecated) return null;
  if (context.mode === "launch") return `${version.name} is deprecated: new products cannot be launched with it. Choose a current version`;
  if (chosenId !== context.currentVersionId) return `${version.name} is deprecated: a product can stay on a deprecated version but not move to one. Choose a current version`;
  return null;
}

