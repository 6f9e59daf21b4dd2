import { StatusPage } from "@/components/layout/status-page";

export default function Forbidden() {
  return (
    <StatusPage code="403 · Forbidden" title="You don't have access to this page">
      <p>This area is for administrators. If you need access, ask your Quartermaster administrator.</p>
    </StatusPage>
  );
}
