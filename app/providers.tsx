"use client";

import { ToastProvider } from "@/components/ui/toast";

/**
 * What every page shares: the toasts. TanStack Query's client is provided only where a page keeps
 * data in the browser (components/ui/query-provider.tsx).
 */
export function Providers({ children }: { children: React.ReactNode }) {
  return <ToastProvider>{children}</ToastProvider>;
}
