import { IntentLink } from "@/components/ui/intent-link";
import { NavLinks } from "@/components/layout/nav-links";
import { UserMenu } from "@/components/layout/user-menu";
import { can } from "@/lib/domain/permissions";
import type { User } from "@/generated/prisma/client";

/** Header, navigation and main landmark shared by every signed-in page. */
export function AppShell({ user, children }: { user: User; children: React.ReactNode }) {
  const links = [
    { href: "/catalog", label: "Catalog" },
    { href: "/products", label: "My products" },
    { href: "/cli", label: "CLI access" },
    ...(can(user.role, "admin:view") ? [{ href: "/admin", label: "Admin" }] : []),
  ];
  return (
    <>
      <a href="#main" className="sr-only focus:not-sr-only focus:absolute focus:left-2 focus:top-2 focus:z-50 focus:rounded focus:bg-white focus:px-3 focus:py-2">
        Skip to content
      </a>
      <header className="border-b border-slate-200 bg-white">
        <div className="mx-auto flex max-w-6xl flex-wrap items-center gap-x-6 gap-y-2 px-4 py-3">
          <IntentLink href="/products" className="text-lg font-bold tracking-tight text-brand-900">
            Quartermaster
          </IntentLink>
          <nav aria-label="Main" className="order-3 w-full sm:order-none sm:w-auto sm:flex-1">
            <NavLinks links={links} />
          </nav>
          <UserMenu name={user.name ?? user.email} email={user.email} role={user.role} />
        </div>
      </header>
      <main id="main" tabIndex={-1} className="mx-auto max-w-6xl px-4 py-8 focus:outline-none">
        {children}
      </main>
    </>
  );
}
