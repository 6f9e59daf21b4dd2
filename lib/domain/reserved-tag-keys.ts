/**
 * Whether a tag key is one the portal reserves (set from the person, never by them), compared as
 * AWS compares nothing but people do: trimmed, without regard to case. Alone, so the launch form
 * can hide reserved tag options without carrying the tag checks (./tags re-exports it).
 */
export function isReservedTagKey(key: string, reservedKeys: readonly string[]): boolean {
  const k = key.trim().toLowerCase();
  return reservedKeys.some((r) => r.trim().toLowerCase() === k);
}
