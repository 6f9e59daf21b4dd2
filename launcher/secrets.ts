/**
 * Values generated on the first start and kept under DATA_DIR, so restarts keep sessions, keys
 * and client registrations valid.
 */
import { randomBytes } from "node:crypto";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";

/** The file's content, or `create()`'s result written there first (mode 0600). */
export async function readOrCreate(file: string, create: () => string): Promise<{ value: string; created: boolean }> {
  try {
    const value = (await readFile(file, "utf8")).trim();
    if (value !== "") return { value, created: false };
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== "ENOENT") throw err;
  }
  const value = create();
  await mkdir(path.dirname(file), { recursive: true });
  await writeFile(file, `${value}\n`, { mode: 0o600 });
  return { value, created: true };
}

export const randomSecret = (bytes: number, encoding: BufferEncoding = "base64url") => randomBytes(bytes).toString(encoding);
