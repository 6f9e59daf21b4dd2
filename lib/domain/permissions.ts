/**
 * Who may do what, as data. Ownership of a particular resource is checked by the service on top
 * of this (a user may "product:update" only their own products).
 */
export type Role = "USER" | "ADMIN";

export const permissions = {
  "catalog:read": ["USER", "ADMIN"],
  "product:launch": ["USER", "ADMIN"],
  "product:read": ["USER", "ADMIN"],
  "product:update": ["USER", "ADMIN"],
  "product:terminate": ["USER", "ADMIN"],
  "product:read-any": ["ADMIN"],
  "product:terminate-any": ["ADMIN"],
  "product:transfer": ["ADMIN"],
  "user:manage": ["ADMIN"],
  "admin:view": ["ADMIN"],
  "audit:read": ["ADMIN"],
  "token:manage": ["USER", "ADMIN"],
  "credentials:read": ["USER", "ADMIN"],
} as const satisfies Record<string, readonly Role[]>;

export type Permission = keyof typeof permissions;

export function can(role: Role, permission: Permission): boolean {
  return (permissions[permission] as readonly Role[]).includes(role);
}
