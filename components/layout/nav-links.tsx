"use client";

import { IntentLink } from "@/components/ui/intent-link";
import { usePathname } from "next/navigation";

/**
 * The header's navigation. Each page is prefetched when the pointer or focus reaches its link, not
 * as every page starts (which cost each page view one request per link). `exact`: current only on
 * that very page (an overview whose sections have their own links).
 */
export function NavLinks({ links }: { links: { href: string; label: string; exact?: boolean }[] }) {
  const pathname = usePathname();
  return (
    <ul className="flex gap-1">
      {links.map((link) => {
        const active = pathname === link.href || (!link.exact && pathname.startsWith(`${link.href}/`));
        return (
          <li key={link.href}>
            <IntentLink
              href={link.href}
              aria-current={active ? "page" : undefined}
              className={`rounded-md px-3 py-2 text-sm font-medium ${active ? "bg-brand-50 text-brand-700" : "text-slate-600 hover:bg-slate-100 hover:text-slate-900"}`}
            >
              {link.label}
            </IntentLink>
          </li>
        );
      })}
    </ul>
  );
}
