import { IntentLink } from "@/components/ui/intent-link";
import { StatusBadge } from "@/components/ui/status-badge";
import { CopyButton } from "@/components/ui/copy-button";
import { DateTime } from "@/components/ui/date-time";
import { KeyValueCard } from "@/components/ui/key-value-list";
import { SsmCommands } from "@/components/products/ssm-commands";
import { ProductActions, ProductWatcher, SharingPanel, TransferStatus } from "@/components/products/product-islands";
import { isSettledProductStatus, statusBadge } from "@/lib/domain/status";
import { isWatched } from "@/lib/queries/product-watch";
import type { ProductDetailView } from "@/lib/services/products";
import type { SharingView } from "@/lib/services/sharing";
import type { SharingRules } from "@/lib/domain/shared-list";

const recordLabels: Record<string, string> = {
  PROVISION_PRODUCT: "Launch",
  UPDATE_PROVISIONED_PRODUCT: "Update",
  TERMINATE_PROVISIONED_PRODUCT: "Terminate",
  UPDATE_PROVISIONED_PRODUCT_PROPERTIES: "Change of owner",
};

/**
 * One product's page, rendered on the server: status, outputs, SSM commands, parameters, tags,
 * history, and the Sharing panel when the template has the sharing parameter (`sharing`). What
 * moves is in product-islands: a watcher refreshes this render while AWS works, and the actions
 * and panels that change the product.
 */
export function ProductView({ product, sharing }: { product: ProductDetailView; sharing: { view: SharingView; rules: SharingRules } | null }) {
  const instanceId = product.outputs.find((o) => o.key === "EC2InstanceId")?.value;
  const badge = statusBadge(product.status);

  return (
    <>
      <ProductWatcher
        product={{ id: product.id, name: product.name, status: product.status, statusMessage: product.statusMessage, updatedAt: product.updatedAt, transfer: product.transfer, records: product.records }}
        watching={isWatched(product)}
      />
      <nav aria-label="Breadcrumb" className="text-sm text-slate-600">
        {product.canChange || !product.canTransfer ? (
          <IntentLink href="/products" className="underline">
            My products
          </IntentLink>
        ) : (
          <IntentLink href="/admin/products" className="underline">
            All products
          </IntentLink>
        )}{" "}
        / {product.name}
      </nav>
      <div className="mt-2 flex flex-wrap items-start justify-between gap-4">
        <div>
          <h1 className="text-2xl font-bold text-slate-900">{product.name}</h1>
          <p className="mt-1 flex flex-wrap items-center gap-2 text-sm text-slate-600">
            <span id="product-status">
              <StatusBadge status={product.status} />
            </span>
            <span>
              {product.productName} · {product.versionName}
            </span>
            {!product.canChange ? <span>· owned by {product.ownerEmail}</span> : null}
          </p>
        </div>
        <ProductActions
          product={{
            id: product.id,
            name: product.name,
            status: product.status,
            awsProvisionedProductId: product.awsProvisionedProductId,
            productId: product.productId,
            versionId: product.versionId,
            pathId: product.pathId,
            ownerId: product.ownerId,
            ownerEmail: product.ownerEmail,
            canChange: product.canChange,
            canTerminate: product.canTerminate,
            canTransfer: product.canTransfer,
            held: Boolean(product.transfer),
          }}
        />
      </div>

      {product.transfer ? <TransferStatus transfer={product.transfer} canAct={product.canTransfer} /> : null}

      <div role="status" aria-live="polite" className="mt-4">
        {!isSettledProductStatus(product.status) ? (
          <p className="rounded-md bg-sky-50 p-3 text-sm text-sky-900">{badge.description} This page updates by itself.</p>
        ) : product.statusMessage ? (
          <p className={`rounded-md p-3 text-sm ${product.status === "AVAILABLE" ? "bg-slate-100 text-slate-700" : "bg-red-50 text-red-900"}`}>{product.statusMessage}</p>
        ) : null}
      </div>

      <div className="mt-6 grid gap-6 lg:grid-cols-2">
        <section aria-labelledby="outputs-title" className="rounded-xl border border-slate-200 bg-white p-5">
          <h2 id="outputs-title" className="text-base font-semibold">
            Outputs
          </h2>
          {product.outputs.length === 0 ? (
            <p className="mt-2 text-sm text-slate-600">{isSettledProductStatus(product.status) ? "This product has no outputs." : "Outputs appear when AWS has finished."}</p>
          ) : (
            <dl className="mt-3 space-y-3 text-sm">
              {/* AWS adds the stack ARN to every product's outputs; it matters least, so it goes last. */}
              {[...product.outputs].sort((a, b) => Number(a.key === "CloudformationStackARN") - Number(b.key === "CloudformationStackARN")).map((o) => (
                <div key={o.key}>
                  <dt className="font-medium text-slate-700">{o.description || o.key}</dt>
                  <dd className="mt-0.5 flex items-center gap-2 break-all">
                    {/^https:\/\//.test(o.value) ? (
                      <a href={o.value} target="_blank" rel="noreferrer noopener" className="text-brand-700 underline">
                        {o.value}
                      </a>
                    ) : (
                      <code className="rounded bg-slate-100 px-1.5 py-0.5">{o.value}</code>
                    )}
                    <span className="shrink-0">
                      <CopyButton value={o.value} label={o.key} />
                    </span>
                  </dd>
                </div>
              ))}
            </dl>
          )}
        </section>

        {instanceId && product.status !== "TERMINATED" ? <SsmCommands instanceId={instanceId} /> : null}

        <KeyValueCard
          id="parameters-title"
          title="Parameters"
          empty="This product has no parameters."
          entries={Object.entries(product.parameters).map(([key, value]) => [key, Array.isArray(value) ? value.join(", ") || "(none)" : value || "(empty)"])}
        />
        <KeyValueCard id="tags-title" title="Tags" empty="No tags." entries={product.tags.map((t) => [t.key, t.value])} />
      </div>

      <section aria-labelledby="history-title" className="mt-6 rounded-xl border border-slate-200 bg-white p-5">
        <h2 id="history-title" className="text-base font-semibold">
          History
        </h2>
        <ol className="mt-3 space-y-3 text-sm">
          {product.records.map((r) => (
            <li key={r.id} className="rounded-md border border-slate-100 p-3">
              <div className="flex flex-wrap items-center gap-2">
                <span className="font-medium">{recordLabels[r.type] ?? r.type}</span>
                <StatusBadge status={r.status} />
                <span className="text-slate-500">
                  <DateTime value={r.createdAt} />
                </span>
                {r.requestedBy ? <span className="text-slate-500">by {r.requestedBy}</span> : null}
                {r.recordId ? <code className="text-xs text-slate-500">{r.recordId}</code> : null}
              </div>
              {r.errors.length ? (
                <ul className="mt-2 list-disc pl-5 text-red-800">
                  {r.errors.map((e, i) => (
                    <li key={i}>{e.description || e.code}</li>
                  ))}
                </ul>
              ) : null}
            </li>
          ))}
        </ol>
      </section>

      {sharing && product.status !== "TERMINATED" ? (
        <SharingPanel id={product.id} initial={sharing.view} rules={sharing.rules} canChange={product.canChange} ownerId={product.ownerId} />
      ) : null}
    </>
  );
}
