import type { CatalogViews } from "./catalog-views";
import type { Plans } from "./plans";
import type { ProvisionedProducts } from "./provisioned-products";
import type { Records } from "./records";
import type { ProvisionedProductSearch } from "./search";
import type { ScData, ScOptions, ServiceCatalogBackend } from "./state";

/**
 * One resource's share of the Service Catalog backend (moto splits a service's models the same
 * way): it reads and writes the account's one `data`, and reaches the other parts through the
 * backend that holds them all.
 */
export abstract class Part {
  constructor(private readonly backend: ServiceCatalogBackend) {}

  protected get data(): ScData {
    return this.backend.data;
  }

  protected get options(): ScOptions {
    return this.backend.options;
  }

  protected now(): number {
    return this.backend.options.now();
  }

  protected get catalog(): CatalogViews {
    return this.backend.catalog;
  }

  protected get records(): Records {
    return this.backend.records;
  }

  protected get products(): ProvisionedProducts {
    return this.backend.products;
  }

  protected get search(): ProvisionedProductSearch {
    return this.backend.search;
  }

  protected get plans(): Plans {
    return this.backend.plans;
  }
}
