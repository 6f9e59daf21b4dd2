import { AppShell } from "@/components/layout/app-shell";
import { requirePermission } from "@/lib/auth/session";

export default async function AdminLayout({ children }: { children: React.ReactNode }) {
  const user = await requirePermission("admin:view");
  return <AppShell user={user}>{children}</AppShell>;
}
