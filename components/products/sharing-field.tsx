"use client";

import { SharingEditor } from "@/components/products/sharing-editor";
import { describePrincipal } from "@/lib/domain/sharing";
import type { SharingRules } from "@/lib/domain/shared-list";

/** The portal's own account, from the owner's principal (other accounts are marked). */
const ownAccountOf = (rules: SharingRules) => /^arn:[a-z-]+:sts::(\d{12}):/.exec(rules.ownerPrincipalArn ?? "")?.[1] ?? null;

/**
 * The sharing parameter on the launch and update forms: the shared list edited with the Sharing
 * panel's editor, each entry named by its kind and account (lib/domain/sharing's ARN reading).
 * Only products with a sharing parameter show it, so the form loads it when one does.
 */
export function SharingField({
  current,
  list,
  onChange,
  rules,
  itemErrors,
  error,
}: {
  current: readonly string[];
  list: readonly string[];
  onChange: (list: string[]) => void;
  rules: SharingRules;
  itemErrors: Record<number, string>;
  error: string | undefined;
}) {
  return (
    <SharingEditor
      current={current}
      list={list}
      onChange={onChange}
      rules={rules}
      ownerLabel="You"
      excludeUserId=""
      describe={(arn) => {
        const d = describePrincipal(arn, ownAccountOf(rules));
        return d.kind === "unknown" ? null : { label: arn, detail: `${d.kind}, account ${d.account}${d.otherAccount ? " (another account)" : ""}`, otherAccount: d.otherAccount };
      }}
      editable
      itemErrors={itemErrors}
      error={error}
    />
  );
}
