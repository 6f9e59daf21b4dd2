/** zod schemas over the ARN rules of arn.ts (kept apart so code that only parses ARNs does not bundle zod). */
import { z } from "zod";
import { checkPrincipalArn, invalidArnMessage, parseArn } from "./arn";

/** Any well-formed ARN. Trimmed. */
export const arnSchema = z
  .string()
  .trim()
  .superRefine((s, ctx) => {
    const parsed = parseArn(s);
    if (!parsed.ok) ctx.addIssue({ code: "custom", message: invalidArnMessage(s, parsed.reason) });
  });

/** An ARN of a principal that may be granted bucket access. Trimmed. */
export const principalArnSchema = z
  .string()
  .trim()
  .superRefine((s, ctx) => {
    const checked = checkPrincipalArn(s);
    if (!checked.ok) ctx.addIssue({ code: "custom", message: checked.message });
  });
