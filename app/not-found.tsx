import { StatusPage } from "@/components/layout/status-page";

export default function NotFound() {
  return (
    <StatusPage code="404 · Not found" title="We couldn't find that page">
      <p>It may have been removed, or the address may be mistyped.</p>
    </StatusPage>
  );
}
