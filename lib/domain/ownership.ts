/**
 * Who owns a provisioned product in AWS, and the parameters that follow its owner.
 *
 * Decisions:
 * - A person's AWS principal is the ARN of their end-user session,
 *   `arn:<partition>:sts::<account>:assumed-role/<role name>/<session name>`: Service Catalog
 *   records it as the owner of what they launch, and the portal names every session
 *   (`awsSessionName`), so it is known even for someone who has never launched anything. A role
 *   with a path (`role/team/Name`) appears in the session ARN by its name alone, as STS writes it
 *   (`endUserPrincipalArn`, with the other ARN rules in ./arn).
 * - Owner-bound parameters (OWNER_BOUND_PARAMETERS, e.g. `OwnerPrincipalArn`) are template
 *   parameters the portal fills with the owner's principal, e.g. the principal a bucket policy
 *   grants. People never choose them: the forms do not show them, a value sent anyway is refused
 *   like a reserved tag, and a transfer rewrites them for the new owner. Names are compared
 *   without regard to case, so `ownerPrincipalArn` cannot slip past.
 */
import type { ProvisioningParameter } from "./parameters";

export const DEFAULT_OWNER_BOUND_PARAMETERS: readonly string[] = ["OwnerPrincipalArn"];

export function isOwnerBoundParameter(key: string, ownerBoundKeys: readonly string[]): boolean {
  const k = key.toLowerCase();
  return ownerBoundKeys.some((o) => o.toLowerCase() === k);
}

/** The product's owner-bound parameters, each set to `principalArn`. */
export function ownerBoundValues(params: readonly ProvisioningParameter[], ownerBoundKeys: readonly string[], principalArn: string): Record<string, string> {
  const values: Record<string, string> = {};
  for (const param of params) if (isOwnerBoundParameter(param.key, ownerBoundKeys)) values[param.key] = principalArn;
  return values;
}

/** The parameters a person fills in (forms show these; the rest the portal sets). */
export function chosenParameters<P extends Pick<ProvisioningParameter, "key">>(params: readonly P[], ownerBoundKeys: readonly string[]): P[] {
  return params.filter((p) => !isOwnerBoundParameter(p.key, ownerBoundKeys));
}
