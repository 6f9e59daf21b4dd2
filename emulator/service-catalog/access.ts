import type { Principal, RoleName } from "../core/identity";
import { AccessDeniedException, InvalidParametersException } from "./errors";
import { ACCESS_LEVELS } from "./permissions";

/**
 * Who may see and change a provisioned product: the access levels (User, Role, Account) of
 * AccessLevelFilter and of each role's permissions, and the owner a product or record has.
 */

export type AccessLevel = { Key?: string; Value?: string };

export function roleOf(caller: Principal): RoleName | undefined {
  return caller.kind === "assumed-role" ? caller.roleName : undefined;
}

function roleNameInArn(arn: string): string | undefined {
  return /:assumed-role\/([^/]+)\//.exec(arn)?.[1] ?? /:role\/(.+)$/.exec(arn)?.[1];
}

/**
 * The AccessLevelFilter of a listing. Its default is the operation's: User for ListRecordHistory
 * and ScanProvisionedProducts, Account for SearchProvisionedProducts. Value: "The only
 * supported value is self".
 */
export function accessLevel(caller: Principal, filter: AccessLevel | undefined, action: string, defaultKey: "User" | "Account" = "User"): "User" | "Role" | "Account" {
  const key = filter?.Key ?? defaultKey;
  if (key !== "User" && key !== "Role" && key !== "Account") {
    throw new InvalidParametersException(`1 validation error detected: Value '${key}' at 'accessLevelFilter.key' failed to satisfy constraint: Member must satisfy enum value set: [Account, Role, User]`);
  }
  if (filter?.Value !== undefined && filter.Value.toLowerCase() !== "self") {
    throw new InvalidParametersException(`Invalid AccessLevelFilter value '${filter.Value}': the only supported value is self.`);
  }
  const role = roleOf(caller);
  if (!role || !ACCESS_LEVELS[role].includes(key)) {
    throw new AccessDeniedException(caller.arn, `servicecatalog:${action}`, `with AccessLevelFilter ${key}: the ${key === "Account" ? "servicecatalog:accountLevel" : "servicecatalog:roleLevel"} condition is not allowed for this role`);
  }
  return key;
}

export function visibleAt(caller: Principal, level: "User" | "Role" | "Account", ownerArn: string): boolean {
  if (level === "Account") return true;
  if (level === "Role") return roleNameInArn(ownerArn) === roleOf(caller);
  return ownerArn === caller.arn;
}

/** The widest access level the caller's role allows (what Describe/Update/Terminate use). */
export function canActOn(caller: Principal, ownerArn: string): boolean {
  const role = roleOf(caller);
  if (!role) return false;
  const levels = ACCESS_LEVELS[role];
  return visibleAt(caller, levels.includes("Account") ? "Account" : levels.includes("Role") ? "Role" : "User", ownerArn);
}
