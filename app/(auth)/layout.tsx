export default function AuthLayout({ children }: { children: React.ReactNode }) {
  return (
    <main id="main" className="flex min-h-[85vh] items-center justify-center px-4 py-8">
      {children}
    </main>
  );
}
