import { ConstraintCollector } from "../core/validation";
import { InvalidParametersException } from "./errors";

/**
 * PageSize and PageToken as Service Catalog's model defines them: each operation has its own
 * maximum (PageSize 0-20, PageSizeMax100 0-100, SearchProvisionedProductsPageSize 0-100), a value
 * outside it is a validation error, and 0 or no value means a full page.
 */
export function page<T>(items: T[], pageSize: number | undefined, pageToken: string | undefined, max: number): { items: T[]; next?: string } {
  if (pageSize !== undefined && pageSize !== null) {
    const checks = new ConstraintCollector();
    if (!Number.isInteger(pageSize)) checks.add(pageSize, "pageSize", "be an integer");
    else if (pageSize < 0) checks.add(pageSize, "pageSize", "have value greater than or equal to 0");
    else if (pageSize > max) checks.add(pageSize, "pageSize", `have value less than or equal to ${max}`);
    if (checks.message) throw new InvalidParametersException(checks.message);
  }
  const size = pageSize ? pageSize : max;
  const start = pageToken ? Number(pageToken) : 0;
  if (!Number.isInteger(start) || start < 0) throw new InvalidParametersException("The page token is not valid.");
  const slice = items.slice(start, start + size);
  return { items: slice, ...(start + size < items.length ? { next: String(start + size) } : {}) };
}
