import { z } from "zod";

/**
 * The emulator's settings: the only place it reads the environment. Checked at start-up with a
 * message naming the bad variable.
 */
const optionalInt = (min: number) => z.coerce.number().int().min(min).optional();

const schema = z.object({
  EMULATOR_PORT: z.coerce.number().int().min(0).max(65535).default(4566),
  EMULATOR_HOST: z.string().min(1).default("127.0.0.1"),
  EMULATOR_STATE_FILE: z.string().min(1).optional(),
  EMULATOR_CATALOG_DIR: z.string().min(1).optional(),
  EMULATOR_PROVISION_MS: optionalInt(0),
  EMULATOR_UPDATE_MS: optionalInt(0),
  EMULATOR_TERMINATE_MS: optionalInt(0),
  EMULATOR_ROLE_EXTERNAL_ID: z.string().min(2).optional(),
  /** What the roles' trust policies allow besides sts:AssumeRole, comma-separated ("none": neither). Default: sts:TagSession,sts:SetSourceIdentity. */
  EMULATOR_ROLE_TRUST_ACTIONS: z
    .string()
    .transform((s) => (s.trim() === "none" ? [] : s.split(",").map((a) => a.trim()).filter(Boolean)))
    .pipe(z.array(z.enum(["sts:TagSession", "sts:SetSourceIdentity"], { error: 'lists sts:TagSession and/or sts:SetSourceIdentity, or is "none"' })))
    .optional(),
});

export type EmulatorConfig = z.infer<typeof schema>;

export function loadConfig(env: Record<string, string | undefined> = process.env): EmulatorConfig {
  // Empty variables count as unset.
  const present = Object.fromEntries(Object.entries(env).filter(([key, value]) => key.startsWith("EMULATOR_") && value !== ""));
  const parsed = schema.safeParse(present);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join(".")}: ${issue.message}`).join("; ");
    throw new Error(`Invalid emulator settings: ${problems}`);
  }
  return parsed.data;
}
