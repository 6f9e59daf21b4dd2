import "server-only";
import type { SessionIdentity } from "@/lib/aws/sessions";
import { env } from "@/lib/env";
import { endUserPrincipalArn } from "@/lib/domain/arn";
import { awsSessionNameFromEmail } from "@/lib/domain/session-name";
import { allowedAccountsFrom, type SharingRules } from "@/lib/domain/sharing";
import type { User } from "@/generated/prisma/client";

/** What a user's AWS session carries: their email plus department and project as session tags. */
export function identityOf(user: Pick<User, "email" | "department" | "project">): SessionIdentity {
  return { email: user.email, department: user.department, project: user.project };
}

/**
 * The person's end-user principal in AWS: the ARN their sessions have, which Service Catalog
 * records as owner and owner-bound parameters carry. Known without a session.
 */
export function principalArnOf(user: Pick<User, "email" | "awsSessionName">): string {
  return endUserPrincipalArn(env().AWS_ENDUSER_ROLE_ARN, user.awsSessionName ?? awsSessionNameFromEmail(user.email));
}

/** The sharing parameter's rules for a product owned by `owner` (the same the forms get). */
export function sharingRulesFor(owner: Pick<User, "email" | "awsSessionName"> | null): SharingRules {
  const settings = env();
  return {
    key: settings.SHARING_PARAMETER,
    allowedAccounts: allowedAccountsFrom(settings.SHARING_ALLOWED_ACCOUNTS, settings.AWS_ENDUSER_ROLE_ARN),
    ownerPrincipalArn: owner ? principalArnOf(owner) : null,
  };
}
