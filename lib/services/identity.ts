import "server-only";
import type { SessionIdentity } from "@/lib/aws/sessions";
import type { User } from "@/generated/prisma/client";

/** What a user's AWS session carries: their email plus department and project as session tags. */
export function identityOf(user: Pick<User, "email" | "department" | "project">): SessionIdentity {
  return { email: user.email, department: user.department, project: user.project };
}
