/**
 * When this tab last launched or updated a product from a page without a query cache (the launch
 * and update forms): My products refetches a list it read before then. A timestamp rather than
 * an invalidation, so that the forms need not carry TanStack's client (components/ui/query-provider).
 */
let changedAt = 0;

export function markProductsChanged(): void {
  changedAt = Date.now();
}

export function productsChangedAt(): number {
  return changedAt;
}
