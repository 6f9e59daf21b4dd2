import { NavLinks } from "@/components/layout/nav-links";

/** The admin area's sections. */
export function AdminNav() {
  return (
    <nav aria-label="Admin" className="mb-6 border-b border-slate-200 pb-3">
      <NavLinks
        links={[
          { href: "/admin", label: "Overview", exact: true },
          { href: "/admin/products", label: "Products" },
          { href: "/admin/users", label: "Users" },
          { href: "/admin/audit", label: "Audit log" },
        ]}
      />
    </nav>
  );
}
