import { AppShell } from "@/components/layout/app-shell";
import { QueryProvider } from "@/components/ui/query-provider";
import { AdminNav } from "@/components/admin/admin-nav";
import { requirePermission } from "@/lib/auth/session";

export default async function AdminLayout({ children }: { children: React.ReactNode }) {
  const user = await requirePermission("admin:view");
  return (
    <AppShell user={user}>
      <AdminNav />
      <QueryProvider>{children}</QueryProvider>
    </AppShell>
  );
}
