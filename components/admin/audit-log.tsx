"use client";

import { IntentLink } from "@/components/ui/intent-link";
import { useRouter } from "next/navigation";
import { useQuery } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import { buttonClasses } from "@/components/ui/button";
import { ToneChip } from "@/components/ui/status-badge";
import { DataTable, Row, RowHeader } from "@/components/ui/table";
import type { StatusTone } from "@/lib/domain/status";
import { FieldShell, inputClasses } from "@/components/ui/form-field";
import { auditPageQuery } from "@/lib/queries/audit";
import { AUDIT_OUTCOMES, auditFilterSchema, auditSearchParams, type AuditFilterField } from "@/lib/domain/audit-query";
import type { AuditEventView } from "@/lib/services/audit-log";

type Issue = { path: string; message: string };

type Props = {
  /** The view's canonical query string, or null when the URL's filters are not valid. */
  search: string | null;
  values: Partial<Record<AuditFilterField, string>>;
  issues: Issue[];
  actions: string[];
  targetTypes: string[];
};

const FIELD_LABELS: Record<AuditFilterField, string> = {
  actor: "Actor",
  action: "Action",
  targetType: "Target type",
  targetId: "Target id",
  outcome: "Outcome",
  from: "From (UTC)",
  to: "Before (UTC)",
};

/** "2026-11-25T09:00:00.000Z" -> the value of a datetime-local input read as UTC. */
const toInputTime = (iso: string | undefined) => (iso && /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/.test(iso) ? iso.slice(0, 19) : (iso ?? ""));
/** A datetime-local value, which has no zone, read as UTC. */
const fromInputTime = (value: string) => (value === "" ? "" : /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/.test(value) ? `${value}:00Z` : `${value}Z`);

const showTime = (iso: string) => `${iso.slice(0, 10)} ${iso.slice(11, 23)}`;

function withParam(search: string, key: string, value: string | null): string {
  const params = new URLSearchParams(search);
  if (value === null) params.delete(key);
  else params.set(key, value);
  return params.toString();
}

const href = (search: string) => (search ? `/admin/audit?${search}` : "/admin/audit");

export function AuditLog({ search, values, issues: serverIssues, actions, targetTypes }: Props) {
  const router = useRouter();
  const [issues, setIssues] = useState<Issue[]>(serverIssues);
  const issueOf = (field: AuditFilterField) => issues.find((i) => i.path === field)?.message;

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const text = (name: AuditFilterField) => String(form.get(name) ?? "");
    const parsed = auditFilterSchema.safeParse({
      actor: text("actor"),
      action: text("action"),
      targetType: text("targetType"),
      targetId: text("targetId"),
      outcome: text("outcome"),
      from: fromInputTime(text("from")),
      to: fromInputTime(text("to")),
    });
    if (!parsed.success) {
      setIssues(parsed.error.issues.map((i) => ({ path: i.path.map(String).join("."), message: i.message })));
      return;
    }
    setIssues([]);
    router.push(href(auditSearchParams(parsed.data).toString()));
  }

  return (
    <div className="mt-6">
      <form onSubmit={submit} noValidate aria-labelledby="audit-filters-title" className="rounded-xl border border-slate-200 bg-white p-4">
        <h2 id="audit-filters-title" className="text-base font-semibold text-slate-900">
          Filters
        </h2>
        {issues.length > 0 ? (
          <div role="alert" className="mt-3 rounded-md border border-red-200 bg-red-50 p-3 text-sm text-red-800">
            <p className="font-medium">These filters cannot be used:</p>
            <ul className="mt-1 list-disc pl-5">
              {issues.map((i) => (
                <li key={`${i.path}:${i.message}`}>
                  {FIELD_LABELS[i.path as AuditFilterField] ?? i.path}: {i.message}
                </li>
              ))}
            </ul>
          </div>
        ) : null}
        <div className="mt-3 grid gap-4 sm:grid-cols-2 lg:grid-cols-4">
          <FieldShell id="audit-actor" label={FIELD_LABELS.actor} help="Email address or user id" error={issueOf("actor")}>
            {(describedBy, invalid) => (
              <input id="audit-actor" name="actor" type="text" maxLength={254} defaultValue={values.actor ?? ""} aria-describedby={describedBy} aria-invalid={invalid || undefined} className={inputClasses(invalid)} autoComplete="off" />
            )}
          </FieldShell>
          <FieldShell id="audit-action" label={FIELD_LABELS.action} help="Exact, or a prefix ending in * (product.*)" error={issueOf("action")}>
            {(describedBy, invalid) => (
              <>
                <input id="audit-action" name="action" type="text" list="audit-action-options" maxLength={101} defaultValue={values.action ?? ""} aria-describedby={describedBy} aria-invalid={invalid || undefined} className={inputClasses(invalid)} autoComplete="off" />
                <datalist id="audit-action-options">
                  {actions.map((a) => (
                    <option key={a} value={a} />
                  ))}
                </datalist>
              </>
            )}
          </FieldShell>
          <FieldShell id="audit-target-type" label={FIELD_LABELS.targetType} error={issueOf("targetType")}>
            {(describedBy, invalid) => (
              <select id="audit-target-type" name="targetType" defaultValue={values.targetType ?? ""} aria-describedby={describedBy} aria-invalid={invalid || undefined} className={inputClasses(invalid)}>
                <option value="">Any</option>
                {[...new Set([...targetTypes, ...(values.targetType ? [values.targetType] : [])])].map((t) => (
                  <option key={t} value={t}>
                    {t}
                  </option>
                ))}
              </select>
            )}
          </FieldShell>
          <FieldShell id="audit-target-id" label={FIELD_LABELS.targetId} error={issueOf("targetId")}>
            {(describedBy, invalid) => (
              <input id="audit-target-id" name="targetId" type="text" maxLength={200} defaultValue={values.targetId ?? ""} aria-describedby={describedBy} aria-invalid={invalid || undefined} className={inputClasses(invalid)} autoComplete="off" />
            )}
          </FieldShell>
          <FieldShell id="audit-outcome" label={FIELD_LABELS.outcome} error={issueOf("outcome")}>
            {(describedBy, invalid) => (
              <select id="audit-outcome" name="outcome" defaultValue={values.outcome ?? ""} aria-describedby={describedBy} aria-invalid={invalid || undefined} className={inputClasses(invalid)}>
                <option value="">Any</option>
                {AUDIT_OUTCOMES.map((o) => (
                  <option key={o} value={o}>
                    {o.charAt(0) + o.slice(1).toLowerCase()}
                  </option>
                ))}
              </select>
            )}
          </FieldShell>
          <FieldShell id="audit-from" label={FIELD_LABELS.from} error={issueOf("from")}>
            {(describedBy, invalid) => (
              <input id="audit-from" name="from" type="datetime-local" step={1} defaultValue={toInputTime(values.from)} aria-describedby={describedBy} aria-invalid={invalid || undefined} className={inputClasses(invalid)} />
            )}
          </FieldShell>
          <FieldShell id="audit-to" label={FIELD_LABELS.to} error={issueOf("to")}>
            {(describedBy, invalid) => (
              <input id="audit-to" name="to" type="datetime-local" step={1} defaultValue={toInputTime(values.to)} aria-describedby={describedBy} aria-invalid={invalid || undefined} className={inputClasses(invalid)} />
            )}
          </FieldShell>
          <div className="flex items-end gap-2">
            <button type="submit" className={buttonClasses("primary")}>
              Apply filters
            </button>
            <IntentLink href="/admin/audit" className={buttonClasses("ghost")}>
              Clear
            </IntentLink>
          </div>
        </div>
      </form>
      {search !== null ? <AuditEvents search={search} /> : null}
    </div>
  );
}

function AuditEvents({ search }: { search: string }) {
  const { data, isError, error, isFetching } = useQuery(auditPageQuery(search));
  const filtersOnly = withParam(withParam(search, "cursor", null), "limit", null);
  const exportHref = `/api/admin/audit/export${filtersOnly ? `?${filtersOnly}` : ""}`;
  if (isError) return <p role="alert" className="mt-6 text-sm text-red-700">Could not load the audit log: {error.message}</p>;
  const events = data?.events ?? [];
  const paging = (
    <nav aria-label="Audit log pages" className="flex flex-wrap items-center gap-2">
      <PageLink search={data?.newer ? withParam(search, "cursor", null) : null} label="Newest" />
      <PageLink search={data?.newer ? withParam(search, "cursor", data.newer) : null} label="Newer" />
      <PageLink search={data?.older ? withParam(search, "cursor", data.older) : null} label="Older" />
    </nav>
  );
  return (
    <section aria-labelledby="audit-events-title" className="mt-6">
      <div className="flex flex-wrap items-center justify-between gap-3">
        <h2 id="audit-events-title" className="text-lg font-semibold text-slate-900">
          Events
        </h2>
        <div className="flex flex-wrap items-center gap-3">
          <p role="status" className="text-sm text-slate-600">
            {isFetching && !data ? "Loading…" : `${events.length} event${events.length === 1 ? "" : "s"} on this page`}
          </p>
          <a href={exportHref} download className={buttonClasses("secondary")}>
            Export CSV
          </a>
        </div>
      </div>
      <div className="mt-3">{paging}</div>
      {events.length === 0 ? (
        <p className="mt-4 rounded-xl border border-dashed border-slate-300 bg-white p-8 text-center text-sm text-slate-600">No event matches these filters.</p>
      ) : (
        <DataTable className="mt-3" caption="Audit events matching the filters, newest first" columns={["Time (UTC)", "Actor", "Action", "Outcome", "Target", "Details", "Request id"]}>
          {events.map((e) => (
            <EventRow key={e.id} event={e} search={filtersOnly} />
          ))}
        </DataTable>
      )}
    </section>
  );
}

function PageLink({ search, label }: { search: string | null; label: string }) {
  if (search === null) {
    return (
      <span aria-disabled="true" className={buttonClasses("secondary", "cursor-not-allowed text-slate-400")}>
        {label}
      </span>
    );
  }
  return (
    <IntentLink href={href(search)} className={buttonClasses("secondary")}>
      {label}
    </IntentLink>
  );
}

const OUTCOME_TONE: Record<AuditEventView["outcome"], StatusTone> = { SUCCESS: "success", FAILURE: "warning", DENIED: "danger" };

/** A row; its actor, action and target are links that filter the log by them. */
function EventRow({ event: e, search }: { event: AuditEventView; search: string }) {
  const filterBy = (changes: Record<string, string>) => {
    const params = new URLSearchParams(search);
    for (const [key, value] of Object.entries(changes)) params.set(key, value);
    return href(params.toString());
  };
  const details = e.details && typeof e.details === "object" && Object.keys(e.details).length === 0 ? "" : JSON.stringify(e.details);
  return (
    <Row>
      <RowHeader className="whitespace-nowrap font-normal text-slate-700">
        <time dateTime={e.createdAt}>{showTime(e.createdAt)}</time>
      </RowHeader>
      <td>
        {e.actorEmail || e.actorId ? (
          <IntentLink href={filterBy({ actor: e.actorId ?? e.actorEmail! })} className="text-brand-700 underline-offset-2 hover:underline">
            {e.actorEmail ?? e.actorId}
          </IntentLink>
        ) : (
          <span className="text-slate-500">system</span>
        )}
      </td>
      <td>
        <IntentLink href={filterBy({ action: e.action })} className="font-mono text-xs text-brand-700 underline-offset-2 hover:underline">
          {e.action}
        </IntentLink>
      </td>
      <td>
        <ToneChip tone={OUTCOME_TONE[e.outcome]}>{e.outcome.toLowerCase()}</ToneChip>
      </td>
      <td>
        {e.targetType ? (
          <IntentLink href={filterBy(e.targetId ? { targetType: e.targetType, targetId: e.targetId } : { targetType: e.targetType })} className="break-all text-brand-700 underline-offset-2 hover:underline">
            {e.targetType}
            {e.targetId ? `: ${e.targetId}` : ""}
          </IntentLink>
        ) : null}
      </td>
      <td className="max-w-md">
        {details ? <code className="line-clamp-3 break-all text-xs text-slate-700">{details.length > 500 ? `${details.slice(0, 500)}…` : details}</code> : null}
      </td>
      <td className="font-mono text-xs text-slate-500">{e.requestId}</td>
    </Row>
  );
}
