"use client";

import { useRouter } from "next/navigation";
import { lazy, Suspense, useEffect, useMemo, useRef, useState } from "react";
import { Button } from "@/components/ui/button";
import { FieldShell, inputClasses } from "@/components/ui/form-field";
import { useToast } from "@/components/ui/toast";
import { ParameterField, parameterFieldId } from "@/components/products/parameter-field";
import { TagsEditor, type TagErrors } from "@/components/products/tags-editor";
import { useProvisioningForm } from "@/lib/queries/provisioning-form";
import { markProductsChanged } from "@/lib/queries/product-events";
import { ApiError, fetchJson } from "@/lib/queries/fetch-json";
import { describeField, groupFields, initialParameterValues, parameterChanges, type ParameterValue, type ParameterValues } from "@/lib/domain/parameters";
import { initialTagOptionValues, offeredTagOptions, versionIssue } from "@/lib/domain/provision-form";
import { isSharingParameter, sharedListOf, type SharingRules } from "@/lib/domain/shared-list";

/**
 * The request schema (the same module the server validates with) is loaded when the person first
 * focuses or touches the form (and at the latest on submit), not with the page: it carries zod, a
 * third of the page's script otherwise, and evaluating it as the page starts blocked the main
 * thread for ~100 ms on a slow phone (Lighthouse).
 */
let validation: Promise<typeof import("@/lib/domain/provision-request")> | null = null;
const loadValidation = () => (validation ??= import("@/lib/domain/provision-request"));

const warmValidation = () => void loadValidation();

/** What a version's form opens with: its defaults, or the product's current values when updating (TagOption values too). */
function openingValues(form: ProvisioningForm, { ownerBoundKeys, reservedKeys, existing }: { ownerBoundKeys: string[]; reservedKeys: string[]; existing?: ExistingProduct | undefined }) {
  const values = initialParameterValues(chosenParameters(form.parameters, ownerBoundKeys), existing?.parameters);
  const tagOptions = initialTagOptionValues(form.tagOptions, reservedKeys);
  for (const key of Object.keys(tagOptions)) {
    const current = existing?.tagOptionValues[key];
    if (current) tagOptions[key] = current;
  }
  return { values, tagOptions };
}

/** The review of a change: the update form's alone, so the launch form does not carry it. */
const UpdateReview = lazy(() => import("@/components/products/update-review").then((m) => ({ default: m.UpdateReview })));

/** The sharing parameter's editor: only products that have one show it (React's lazy, as UpdateReview). */
const SharingField = lazy(() => import("@/components/products/sharing-field").then((m) => ({ default: m.SharingField })));
import { chosenParameters } from "@/lib/domain/ownership";
import type { Tag } from "@/lib/domain/tags";
import type { ProductDetail, ProvisioningForm } from "@/lib/services/catalog";
import type { ProductSummary } from "@/lib/services/products";
import type { UpdatePreview } from "@/lib/services/provisioning";

type Issue = { path: string; message: string };

export type ExistingProduct = {
  id: string;
  name: string;
  versionId: string;
  pathId: string | null;
  parameters: ParameterValues;
  userTags: Tag[];
  /** Current values of tags that came from TagOptions. */
  tagOptionValues: Record<string, string>;
};

/** Groups issues by form location: "name", "parameters.Key", "parameters.Key.2", "tags.1.key", "tagOptions.Key". */
function indexIssues(issues: Issue[]) {
  const byPath = new Map<string, string>();
  for (const issue of issues) if (!byPath.has(issue.path)) byPath.set(issue.path, issue.message);
  return byPath;
}

function targetIdFor(path: string): string {
  const [head, a, b] = path.split(".");
  if (head === "parameters" && a) return b !== undefined ? `${parameterFieldId(a)}-${b}` : parameterFieldId(a);
  if (head === "tags" && a !== undefined) return b ? `tag-${a}-${b}` : "add-tag";
  if (head === "tagOptions" && a) return `tagoption-${a}`;
  if (head === "provisioningArtifactId") return "version";
  return "product-name";
}

/**
 * The launch form, generated from the product version's real parameters. The same zod schema
 * checks it here and again on the server. In update mode it previews the change (a provisioned
 * product plan) before applying it.
 */
export function ProvisionForm({
  product,
  reservedKeys,
  ownerBoundKeys,
  sharing,
  existing,
  initialForm,
}: {
  product: ProductDetail;
  reservedKeys: string[];
  /** Parameters the portal fills from the owner's identity: not shown, never sent. */
  ownerBoundKeys: string[];
  /** The sharing parameter's rules, the server's own (lib/domain/sharing.ts). */
  sharing?: SharingRules;
  existing?: ExistingProduct;
  /**
   * The form of the version and launch path the page opens with, read on the server: the fields
   * are in the first HTML (no "Loading…" that the form then pushes down). Another version or path
   * is loaded when chosen.
   */
  initialForm?: { versionId: string; pathId: string | null; form: ProvisioningForm };
}) {
  const mode = existing ? "update" : "launch";
  const router = useRouter();
  const toast = useToast();
  const [versionId, setVersionId] = useState(existing?.versionId ?? product.defaultVersionId ?? product.versions[0]?.id ?? "");
  // An update keeps the product's own launch path (the server refuses another one).
  const [pathId, setPathId] = useState<string | null>(existing ? existing.pathId : (product.launchPaths[0]?.id ?? null));
  const formState = useProvisioningForm({ productId: product.productId, versionId, pathId }, initialForm);
  const form = formState.status === "ready" ? formState.form : undefined;

  const [name, setName] = useState(existing?.name ?? "");
  const [nameTaken, setNameTaken] = useState(false);
  // The first form's values are there from the first render (in the server's HTML too), not set
  // by an effect that renders the whole form a second time as the page starts.
  const [opening] = useState(() => (form ? openingValues(form, { ownerBoundKeys, reservedKeys, existing }) : undefined));
  const [values, setValues] = useState<ParameterValues>(opening?.values ?? {});
  const [tags, setTags] = useState<Tag[]>(existing?.userTags ?? []);
  const [tagOptions, setTagOptions] = useState<Record<string, string>>(opening?.tagOptions ?? {});
  const openedWith = useRef(form);
  const [issues, setIssues] = useState<Issue[]>([]);
  const [submitting, setSubmitting] = useState(false);
  const [preview, setPreview] = useState<UpdatePreview | null>(null);
  const summaryRef = useRef<HTMLDivElement>(null);
  // Set from the moment a launch is submitted: a name check answered after that may count this very
  // launch as "another product" and must not block the next attempt (the server decides then).
  const submittedAt = useRef(0);

  // Another version or path: start again from its defaults (or the current values when updating).
  useEffect(() => {
    if (form === openedWith.current) return;
    openedWith.current = form;
    if (form) {
      const next = openingValues(form, { ownerBoundKeys, reservedKeys, existing });
      setValues(next.values);
      setTagOptions(next.tagOptions);
    }
    setPreview(null);
  }, [form, existing, reservedKeys, ownerBoundKeys]);

  const fields = useMemo(() => (form ? chosenParameters(form.parameters, ownerBoundKeys).map((p) => describeField(p, form.metadata)) : []), [form, ownerBoundKeys]);
  const groups = useMemo(() => (form ? groupFields(fields, form.metadata) : []), [fields, form]);
  const tagOptionChoices = useMemo(() => [...offeredTagOptions(form?.tagOptions ?? [], reservedKeys)], [form, reservedKeys]);
  const errors = indexIssues(issues);
  const selectedVersion = product.versions.find((v) => v.id === versionId);

  const payload = () => ({
    name,
    productId: product.productId,
    provisioningArtifactId: versionId,
    ...(pathId ? { pathId } : {}),
    parameters: values,
    tags,
    tagOptions,
  });

  async function validate(): Promise<boolean> {
    if (!form) return false;
    const { provisionRequestSchema } = await loadValidation();
    const schema = provisionRequestSchema(form, { reservedKeys, mode, ownerBoundKeys, ...(sharing ? { sharing } : {}) });
    const result = schema.safeParse(payload());
    const found: Issue[] = result.success ? [] : result.error.issues.map((i: { path: PropertyKey[]; message: string }) => ({ path: i.path.map(String).join("."), message: i.message }));
    const versionProblem = versionIssue(product.versions, versionId, { mode, currentVersionId: existing?.versionId ?? null });
    if (versionProblem) found.unshift({ path: "provisioningArtifactId", message: versionProblem });
    if (nameTaken && mode === "launch") found.unshift({ path: "name", message: `"${name}" is already used by another product. Names must be unique.` });
    setIssues(found);
    if (found.length) requestAnimationFrame(() => summaryRef.current?.focus());
    return found.length === 0;
  }

  async function checkName() {
    if (mode !== "launch" || !name) return;
    const asked = Date.now();
    try {
      const { available } = await fetchJson<{ available: boolean }>(`/api/products/name-available?name=${encodeURIComponent(name)}`);
      if (submittedAt.current < asked) setNameTaken(!available);
    } catch {
      setNameTaken(false);
    }
  }

  function showServerError(error: unknown) {
    if (error instanceof ApiError && error.issues.length) {
      setIssues(error.issues);
      requestAnimationFrame(() => summaryRef.current?.focus());
    } else {
      setIssues([{ path: "", message: error instanceof Error ? error.message : "Something went wrong." }]);
      requestAnimationFrame(() => summaryRef.current?.focus());
    }
  }

  async function onSubmit(event: React.FormEvent) {
    event.preventDefault();
    submittedAt.current = Date.now();
    if (!(await validate())) return;
    setSubmitting(true);
    try {
      if (mode === "launch") {
        const created = await fetchJson<ProductSummary>("/api/products", { method: "POST", body: JSON.stringify(payload()) });
        markProductsChanged();
        toast.show({ tone: "info", title: `Launching ${created.name}`, description: "AWS is creating it. This page shows progress." });
        router.push(`/products/${created.id}`);
      } else if (!preview) {
        setPreview(await fetchJson<UpdatePreview>(`/api/products/${existing!.id}/preview`, { method: "POST", body: JSON.stringify(payload()) }));
      } else {
        await fetchJson<ProductSummary>(`/api/products/${existing!.id}`, { method: "PATCH", body: JSON.stringify(payload()) });
        markProductsChanged();
        toast.show({ tone: "info", title: `Updating ${existing!.name}`, description: "AWS is applying the change." });
        router.push(`/products/${existing!.id}`);
      }
    } catch (error) {
      showServerError(error);
    } finally {
      setSubmitting(false);
    }
  }

  const changed = useMemo(() => (existing && form ? parameterChanges(existing.parameters, values, form.parameters, form.metadata) : []), [existing, form, values]);

  const tagErrors: TagErrors = {};
  for (const [path, message] of errors) {
    const [head, index, field] = path.split(".");
    if (head === "tags" && index !== undefined && (field === "key" || field === "value")) {
      const row = (tagErrors[Number(index)] ??= {});
      row[field] ??= message;
    }
  }

  return (
    <form onSubmit={onSubmit} onFocus={warmValidation} onPointerDown={warmValidation} noValidate className="mt-6 space-y-8" aria-describedby="form-intro">
      <p id="form-intro" className="sr-only">
        Fields marked with an asterisk are required.
      </p>
      {issues.length ? (
        <div ref={summaryRef} tabIndex={-1} role="alert" className="rounded-lg border border-red-300 bg-red-50 p-4 text-sm text-red-900">
          <h2 className="font-semibold">{issues.length === 1 ? "There is a problem" : `There are ${issues.length} problems`}</h2>
          <ul className="mt-2 list-disc space-y-1 pl-5">
            {issues.map((issue, i) => (
              <li key={i}>
                <a href={`#${targetIdFor(issue.path)}`} className="underline">
                  {issue.message}
                </a>
              </li>
            ))}
          </ul>
        </div>
      ) : null}

      <section aria-labelledby="basics-title" className="space-y-4 rounded-xl border border-slate-200 bg-white p-5">
        <h2 id="basics-title" className="text-base font-semibold text-slate-900">
          {mode === "launch" ? "Name and version" : "Version"}
        </h2>
        {mode === "launch" ? (
          <FieldShell
            id="product-name"
            label="Name"
            required
            error={errors.get("name")}
            help="Up to 128 characters: letters, digits, dots, underscores and hyphens, starting with a letter or digit. Must be unique."
          >
            {(describedBy, invalid) => (
              <input
                id="product-name"
                value={name}
                onChange={(e) => {
                  setName(e.target.value);
                  setNameTaken(false);
                }}
                onBlur={checkName}
                aria-describedby={describedBy}
                aria-invalid={invalid || undefined}
                autoComplete="off"
                className={inputClasses(invalid)}
              />
            )}
          </FieldShell>
        ) : null}
        <FieldShell id="version" label="Version" error={errors.get("provisioningArtifactId")} help={selectedVersion?.description || undefined}>
          {(describedBy, invalid) => (
            <select id="version" value={versionId} onChange={(e) => setVersionId(e.target.value)} aria-describedby={describedBy} aria-invalid={invalid || undefined} className={inputClasses(invalid)}>
              {product.versions.map((v) => {
                // The server's rule: no launch of a deprecated version; a product may stay on one but not move to one.
                const refused = versionIssue(product.versions, v.id, { mode, currentVersionId: existing?.versionId ?? null }) !== null;
                return (
                  <option key={v.id} value={v.id} disabled={refused && v.id !== versionId}>
                    {v.name}
                    {v.deprecated ? (refused ? (mode === "launch" ? " (deprecated: cannot be launched)" : " (deprecated: cannot be chosen)") : " (deprecated, current)") : ""}
                    {v.id === product.defaultVersionId ? " (recommended)" : ""}
                  </option>
                );
              })}
            </select>
          )}
        </FieldShell>
        {selectedVersion?.deprecated ? (
          <p className="rounded-md bg-amber-50 p-3 text-sm text-amber-900">This version is deprecated. Choose a newer one unless you need this one.</p>
        ) : null}
        {mode === "launch" && product.launchPaths.length > 1 ? (
          <FieldShell id="launch-path" label="Launch path" help="Your administrator offers this product through several portfolios.">
            {(describedBy) => (
              <select id="launch-path" value={pathId ?? ""} onChange={(e) => setPathId(e.target.value)} aria-describedby={describedBy} className={inputClasses(false)}>
                {product.launchPaths.map((p) => (
                  <option key={p.id} value={p.id}>
                    {p.name}
                  </option>
                ))}
              </select>
            )}
          </FieldShell>
        ) : null}
      </section>

      {formState.status === "pending" ? (
        <p role="status" className="text-sm text-slate-600">
          Loading the product&apos;s parameters…
        </p>
      ) : formState.status === "error" ? (
        <div role="alert" className="flex flex-wrap items-center gap-3 rounded-md bg-red-50 p-3 text-sm text-red-800">
          <p>Could not load the parameters: {formState.message}</p>
          <Button variant="secondary" onClick={formState.retry}>
            Try again
          </Button>
        </div>
      ) : form ? (
        <>
          {form.usageInstructions.length ? (
            <section aria-labelledby="usage-title" className="rounded-xl border border-sky-200 bg-sky-50 p-5 text-sm text-sky-950">
              <h2 id="usage-title" className="font-semibold">
                How to use this product
              </h2>
              {form.usageInstructions.map((u, i) => (
                <p key={i} className="mt-2 whitespace-pre-line">
                  {u.value}
                </p>
              ))}
            </section>
          ) : null}

          {groups.map((group) => (
            <fieldset key={group.label} className="space-y-4 rounded-xl border border-slate-200 bg-white p-5">
              <legend className="px-1 text-base font-semibold text-slate-900">{group.label}</legend>
              {group.fields.map((field) => {
                const itemErrors: Record<number, string> = {};
                for (const [path, message] of errors) {
                  const [head, key, index] = path.split(".");
                  if (head === "parameters" && key === field.key && index !== undefined) itemErrors[Number(index)] ??= message;
                }
                if (sharing && isSharingParameter(field.key, sharing.key)) {
                  const value = values[field.key];
                  return (
                    <div key={field.key} id={parameterFieldId(field.key)} role="group" aria-label={field.label}>
                      <p className="text-sm font-medium text-slate-800">{field.label}</p>
                      {field.help ? <p className="text-xs text-slate-600">{field.help}</p> : null}
                      <Suspense fallback={<p className="text-sm text-slate-600">Loading the sharing editor…</p>}>
                        <SharingField
                          current={mode === "update" ? sharedListOf(existing?.parameters[field.key]) : []}
                          list={Array.isArray(value) ? value : sharedListOf(value)}
                          onChange={(list) => {
                            setValues((all) => ({ ...all, [field.key]: list }));
                            setPreview(null);
                          }}
                          rules={sharing}
                          itemErrors={itemErrors}
                          error={errors.get(`parameters.${field.key}`)}
                        />
                      </Suspense>
                    </div>
                  );
                }
                return (
                  <ParameterField
                    key={field.key}
                    field={field}
                    value={values[field.key]}
                    error={errors.get(`parameters.${field.key}`)}
                    itemErrors={itemErrors}
                    updateMode={mode === "update"}
                    onChange={(value: ParameterValue) => {
                      setValues((all) => ({ ...all, [field.key]: value }));
                      setPreview(null);
                    }}
                  />
                );
              })}
            </fieldset>
          ))}

          {tagOptionChoices.length ? (
            <fieldset className="space-y-4 rounded-xl border border-slate-200 bg-white p-5">
              <legend className="px-1 text-base font-semibold text-slate-900">Classification</legend>
              <p className="text-sm text-slate-600">Your administrator asks you to classify what you launch.</p>
              {tagOptionChoices.map(([key, values]) => ({ key, values })).map((option) => (
                <FieldShell key={option.key} id={`tagoption-${option.key}`} label={option.key} required error={errors.get(`tagOptions.${option.key}`)}>
                  {(describedBy, invalid) => (
                    <select
                      id={`tagoption-${option.key}`}
                      value={tagOptions[option.key] ?? ""}
                      aria-describedby={describedBy}
                      aria-invalid={invalid || undefined}
                      onChange={(e) => setTagOptions((all) => ({ ...all, [option.key]: e.target.value }))}
                      className={inputClasses(invalid)}
                    >
                      <option value="">Choose…</option>
                      {option.values.map((v) => (
                        <option key={v} value={v}>
                          {v}
                        </option>
                      ))}
                    </select>
                  )}
                </FieldShell>
              ))}
            </fieldset>
          ) : null}

          <div className="rounded-xl border border-slate-200 bg-white p-5">
            <TagsEditor tags={tags} onChange={setTags} reservedKeys={reservedKeys} errors={tagErrors} listError={errors.get("tags")} />
          </div>

          {mode === "update" ? (
            <Suspense fallback={<p className="text-sm text-slate-600">Loading the review…</p>}>
              <UpdateReview changed={changed} versionChanged={versionId !== existing?.versionId} preview={preview} />
            </Suspense>
          ) : null}

          <div className="flex flex-wrap gap-3">
            <Button type="submit" disabled={submitting || !form}>
              {submitting ? (mode === "launch" ? "Launching…" : preview ? "Applying…" : "Checking with AWS…") : mode === "launch" ? "Launch product" : preview ? "Apply update" : "Review changes"}
            </Button>
            <Button variant="secondary" onClick={() => router.back()}>
              Cancel
            </Button>
          </div>
        </>
      ) : null}
    </form>
  );
}
