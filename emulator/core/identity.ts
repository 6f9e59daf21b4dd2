import { stableUpperId } from "./ids";

/**
 * The fixed IAM world of the emulator (documented in emulator/README.md): one account, one region,
 * the portal's base user and the two roles that trust it.
 */
export const ACCOUNT_ID = "123456789012";
export const DEFAULT_REGION = "us-east-1";

export const BASE_USER = {
  userName: "quartermaster",
  arn: `arn:aws:iam::${ACCOUNT_ID}:user/quartermaster`,
  userId: stableUpperId("AIDA", "user/quartermaster"),
  accessKeyId: "AKIAIOSFODNN7EXAMPLE",
  secretAccessKey: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
} as const;

export type RoleName = "ServiceCatalogEndusers" | "ServiceCatalogAdmins";

export type Role = {
  name: RoleName;
  arn: string;
  roleId: string;
  maxSessionDurationSeconds: number;
  /** Principals the trust policy allows to call sts:AssumeRole. */
  trustedPrincipals: string[];
};

function role(name: RoleName, maxSessionDurationSeconds: number): Role {
  return {
    name,
    arn: `arn:aws:iam::${ACCOUNT_ID}:role/${name}`,
    roleId: stableUpperId("AROA", `role/${name}`),
    maxSessionDurationSeconds,
    trustedPrincipals: [BASE_USER.arn],
  };
}

export const ROLES: Record<RoleName, Role> = {
  ServiceCatalogEndusers: role("ServiceCatalogEndusers", 43_200),
  ServiceCatalogAdmins: role("ServiceCatalogAdmins", 14_400),
};

export function roleByArn(arn: string): Role | undefined {
  return Object.values(ROLES).find((r) => r.arn === arn);
}

export type SessionTag = { Key: string; Value: string };

/** Who is calling, as resolved from the access key of a verified request. */
export type Principal =
  | { kind: "user"; arn: string; userId: string; account: string; accessKeyId: string }
  | {
      kind: "assumed-role";
      /** arn:aws:sts::<account>:assumed-role/<role>/<session> */
      arn: string;
      userId: string;
      account: string;
      accessKeyId: string;
      roleName: RoleName;
      roleArn: string;
      sessionName: string;
      sourceIdentity?: string;
      sessionTags: SessionTag[];
    };
