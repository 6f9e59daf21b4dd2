import type { Principal } from "../core/identity";
import { accessLevel, visibleAt, type AccessLevel } from "./access";
import { InvalidParametersException } from "./errors";
import { page } from "./paging";
import { Part } from "./part";
import { attribute, date, detail } from "./shapes";
import type { ProvisionedProduct } from "./state";

const SEARCH_KEYS = [
  "arn",
  "createdTime",
  "id",
  "lastRecordId",
  "idempotencyToken",
  "name",
  "physicalId",
  "productId",
  "provisioningArtifactId",
  "type",
  "status",
  "tags",
  "userArn",
  "userArnSession",
  "lastProvisioningRecordId",
  "lastSuccessfulProvisioningRecordId",
  "productName",
  "provisioningArtifactName",
];

/** Listing provisioned products: SearchProvisionedProducts (query, sort) and ScanProvisionedProducts, at an access level. */
export class ProvisionedProductSearch extends Part {
  /** The search index when it lags (faults' searchLagMs): a copy of the products and when it was taken. */
  private index: { takenAt: number; products: ProvisionedProduct[] } | null = null;

  /**
   * What SearchProvisionedProducts reads: the products as they are, or, while a lag is set, a copy
   * taken at most that long ago (refreshed on the first search after it has aged that much).
   */
  private searchable(): ProvisionedProduct[] {
    const lag = this.options.searchLagMs();
    const live = Object.values(this.data.provisionedProducts);
    if (lag <= 0) {
      this.index = null;
      return live;
    }
    const now = this.now();
    if (!this.index || now - this.index.takenAt >= lag) this.index = { takenAt: now, products: structuredClone(live) };
    return this.index.products;
  }

  private matchesQuery(pp: ProvisionedProduct, query: string): boolean {
    const shown = attribute(this.catalog, pp);
    const fields: Record<string, string[]> = {
      arn: [pp.arn],
      createdTime: [date(pp.createdTime).toISOString()],
      id: [pp.id],
      lastRecordId: [pp.lastRecordId ?? ""],
      idempotencyToken: [pp.idempotencyToken],
      name: [pp.name],
      physicalId: [pp.stackId],
      productId: [pp.productId],
      provisioningArtifactId: [pp.artifactId],
      type: [pp.type],
      status: [pp.status],
      tags: pp.tags.flatMap((t) => [t.Key, t.Value, `${t.Key}=${t.Value}`]),
      userArn: [pp.userArn],
      userArnSession: [pp.userArnSession],
      lastProvisioningRecordId: [pp.lastProvisioningRecordId ?? ""],
      lastSuccessfulProvisioningRecordId: [pp.lastSuccessfulProvisioningRecordId ?? ""],
      productName: [shown.ProductName ?? ""],
      provisioningArtifactName: [shown.ProvisioningArtifactName ?? ""],
    };
    const colon = query.indexOf(":");
    const key = colon > 0 ? query.slice(0, colon) : "";
    if (SEARCH_KEYS.includes(key)) {
      const value = query.slice(colon + 1).toLowerCase();
      return fields[key]!.some((f) => f.toLowerCase() === value);
    }
    const text = query.toLowerCase();
    return Object.values(fields).some((values) => values.some((f) => f.toLowerCase().includes(text)));
  }

  searchProvisionedProducts(caller: Principal, input: { AccessLevelFilter?: AccessLevel; Filters?: Record<string, string[]>; SortBy?: string; SortOrder?: string; PageSize?: number; PageToken?: string }) {
    // "The default is Account": an end user must ask for User explicitly.
    const level = accessLevel(caller, input.AccessLevelFilter, "SearchProvisionedProducts", "Account");
    let products = this.searchable().filter((pp) => visibleAt(caller, level, pp.userArn));
    for (const [key, queries] of Object.entries(input.Filters ?? {})) {
      if (key !== "SearchQuery") {
        throw new InvalidParametersException(`1 validation error detected: Value '${key}' at 'filters' failed to satisfy constraint: Map keys must satisfy constraint: [Member must satisfy enum value set: [SearchQuery]]`);
      }
      for (const query of queries) products = products.filter((pp) => this.matchesQuery(pp, query));
    }
    if (input.SortOrder !== undefined && input.SortOrder !== "ASCENDING" && input.SortOrder !== "DESCENDING") {
      throw new InvalidParametersException(`1 validation error detected: Value '${input.SortOrder}' at 'sortOrder' failed to satisfy constraint: Member must satisfy enum value set: [ASCENDING, DESCENDING]`);
    }
    // "If no value is specified, the results are not sorted. The valid values are arn, id, name, and lastRecordId."
    if (input.SortBy !== undefined) {
      const sortKeys: Record<string, (pp: ProvisionedProduct) => string> = {
        arn: (pp) => pp.arn,
        id: (pp) => pp.id,
        name: (pp) => pp.name.toLowerCase(),
        lastRecordId: (pp) => pp.lastRecordId ?? "",
      };
      const sortKey = sortKeys[input.SortBy];
      if (!sortKey) throw new InvalidParametersException(`Invalid sort field: ${input.SortBy}. Valid fields: arn, id, name, lastRecordId.`);
      products.sort((a, b) => (sortKey(a) < sortKey(b) ? -1 : sortKey(a) > sortKey(b) ? 1 : 0));
      if (input.SortOrder === "DESCENDING") products.reverse();
    }
    const { items, next } = page(products, input.PageSize, input.PageToken, 100);
    return { ProvisionedProducts: items.map((pp) => attribute(this.catalog, pp)), TotalResultsCount: products.length, NextPageToken: next };
  }

  scanProvisionedProducts(caller: Principal, input: { AccessLevelFilter?: AccessLevel; PageSize?: number; PageToken?: string }) {
    const level = accessLevel(caller, input.AccessLevelFilter, "ScanProvisionedProducts");
    const products = Object.values(this.data.provisionedProducts)
      .filter((pp) => visibleAt(caller, level, pp.userArn))
      .sort((a, b) => a.createdTime - b.createdTime);
    const { items, next } = page(products, input.PageSize, input.PageToken, 20);
    return { ProvisionedProducts: items.map((pp) => detail(pp)), NextPageToken: next };
  }
}
