import type { Metadata } from "next";
import { Providers } from "@/app/providers";
import { LocalModeFooter } from "@/components/layout/local-mode-footer";
import "./globals.css";

export const metadata: Metadata = {
  title: { default: "Quartermaster", template: "%s · Quartermaster" },
  description: "Self-service cloud resources for researchers",
};

export default function RootLayout({ children }: { children: React.ReactNode }) {
  return (
    <html lang="en">
      <body className="min-h-screen font-sans">
        <Providers>{children}</Providers>
        <LocalModeFooter />
      </body>
    </html>
  );
}
