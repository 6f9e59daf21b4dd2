import { describe, expect, it } from "vitest";
import {
  PRODUCT_STATUSES,
  RECORD_STATUSES,
  RECORD_TYPES,
  canTerminate,
  canUpdate,
  isBusy,
  isBusyStatus,
  isFinalRecordStatus,
  isProductStatus,
  isRecordStatus,
  isRecordType,
  isSettledProductStatus,
  productStatusAfterRecord,
  settledNotice,
  statusMessageAfterRecord,
  statusBadge,
} from "./status";

describe("status lists", () => {
  it("hold AWS's product statuses and the portal's own", () => {
    expect(PRODUCT_STATUSES).toEqual(["AVAILABLE", "UNDER_CHANGE", "TAINTED", "ERROR", "PLAN_IN_PROGRESS", "PENDING", "TERMINATED"]);
    expect(RECORD_STATUSES).toEqual(["CREATED", "IN_PROGRESS", "IN_PROGRESS_IN_ERROR", "SUCCEEDED", "FAILED"]);
  });

  it("recognise their members only", () => {
    expect(isProductStatus("AVAILABLE")).toBe(true);
    expect(isProductStatus("available")).toBe(false);
    expect(isRecordStatus("IN_PROGRESS_IN_ERROR")).toBe(true);
    expect(isRecordStatus("AVAILABLE")).toBe(false);
    expect(isRecordType("PROVISION_PRODUCT")).toBe(true);
    expect(isRecordType("EXECUTE_PROVISIONED_PRODUCT_SERVICE_ACTION")).toBe(false);
  });
});

describe("isFinalRecordStatus", () => {
  it.each([
    ["SUCCEEDED", true],
    ["FAILED", true],
    ["CREATED", false],
    ["IN_PROGRESS", false],
    ["IN_PROGRESS_IN_ERROR", false],
    ["SOMETHING_NEW", false],
  ])("%s -> %s", (status, final) => {
    expect(isFinalRecordStatus(status)).toBe(final);
  });
});

describe("isBusy", () => {
  it.each([
    ["UNDER_CHANGE", true],
    ["PLAN_IN_PROGRESS", true],
    ["PENDING", true],
    ["AVAILABLE", false],
    ["TAINTED", false],
    ["ERROR", false],
    ["TERMINATED", false],
  ])("%s -> %s", (status, busy) => {
    expect(isBusy(status)).toBe(busy);
    expect(isBusyStatus(status)).toBe(busy);
  });
});

describe("isSettledProductStatus", () => {
  it("is true for stable states and false while busy or unknown", () => {
    expect(isSettledProductStatus("AVAILABLE")).toBe(true);
    expect(isSettledProductStatus("TERMINATED")).toBe(true);
    expect(isSettledProductStatus("UNDER_CHANGE")).toBe(false);
    expect(isSettledProductStatus("WHATEVER")).toBe(false);
  });
});

describe("canUpdate / canTerminate", () => {
  it.each(["AVAILABLE", "TAINTED", "ERROR"])("allow %s", (status) => {
    expect(canUpdate(status)).toBe(true);
    expect(canTerminate(status)).toBe(true);
  });

  it.each(["UNDER_CHANGE", "PLAN_IN_PROGRESS", "PENDING", "TERMINATED", "UNKNOWN"])("refuse %s", (status) => {
    expect(canUpdate(status)).toBe(false);
    expect(canTerminate(status)).toBe(false);
  });
});

describe("statusBadge", () => {
  it.each([
    ["AVAILABLE", "Available", "success"],
    ["UNDER_CHANGE", "Working…", "progress"],
    ["PLAN_IN_PROGRESS", "Preparing…", "progress"],
    ["PENDING", "Starting…", "progress"],
    ["TAINTED", "Needs attention", "warning"],
    ["ERROR", "Failed", "danger"],
    ["TERMINATED", "Terminated", "neutral"],
    ["CREATED", "Queued", "progress"],
    ["IN_PROGRESS", "Working…", "progress"],
    ["IN_PROGRESS_IN_ERROR", "Undoing…", "warning"],
    ["SUCCEEDED", "Succeeded", "success"],
    ["FAILED", "Failed", "danger"],
  ])("%s reads %s (%s)", (status, label, tone) => {
    const badge = statusBadge(status);
    expect(badge.label).toBe(label);
    expect(badge.tone).toBe(tone);
  });

  it("explains every known status in a sentence", () => {
    for (const status of [...PRODUCT_STATUSES, ...RECORD_STATUSES]) expect(statusBadge(status).description).not.toBe("");
  });

  it("shows an unknown status in words, neutral", () => {
    expect(statusBadge("SOME_NEW_STATE")).toEqual({ label: "Some new state", tone: "neutral", description: "" });
    expect(statusBadge("")).toEqual({ label: "Unknown", tone: "neutral", description: "" });
  });

  it("returns a copy", () => {
    const badge = statusBadge("AVAILABLE");
    badge.label = "changed";
    expect(statusBadge("AVAILABLE").label).toBe("Available");
  });
});

describe("productStatusAfterRecord", () => {
  it("is UNDER_CHANGE while any record that changes resources runs", () => {
    for (const type of RECORD_TYPES.filter((t) => t !== "UPDATE_PROVISIONED_PRODUCT_PROPERTIES")) {
      for (const status of ["CREATED", "IN_PROGRESS", "IN_PROGRESS_IN_ERROR"] as const) {
        expect(productStatusAfterRecord(type, status)).toBe("UNDER_CHANGE");
      }
    }
  });

  it.each([
    ["PROVISION_PRODUCT", "SUCCEEDED", "AVAILABLE"],
    ["PROVISION_PRODUCT", "FAILED", "ERROR"],
    ["UPDATE_PROVISIONED_PRODUCT", "SUCCEEDED", "AVAILABLE"],
    ["UPDATE_PROVISIONED_PRODUCT", "FAILED", "TAINTED"],
    ["TERMINATE_PROVISIONED_PRODUCT", "SUCCEEDED", "TERMINATED"],
    ["TERMINATE_PROVISIONED_PRODUCT", "FAILED", "ERROR"],
  ] as const)("%s %s -> %s", (type, status, product) => {
    expect(productStatusAfterRecord(type, status)).toBe(product);
  });

  it("leaves the status alone for a change of owner, running or done", () => {
    for (const status of ["CREATED", "IN_PROGRESS", "SUCCEEDED", "FAILED"] as const) {
      expect(productStatusAfterRecord("UPDATE_PROVISIONED_PRODUCT_PROPERTIES", status)).toBeNull();
    }
  });
});

describe("statusMessageAfterRecord", () => {
  it("after a failed update, says first that the previous version still runs, then AWS's reason", () => {
    expect(statusMessageAfterRecord("UPDATE_PROVISIONED_PRODUCT", "FAILED", ["Capacity unavailable."], "v1.1.0")).toBe(
      "The update failed and AWS rolled it back: the previous version (v1.1.0) still runs, with its previous settings. AWS's reason: Capacity unavailable.",
    );
    expect(statusMessageAfterRecord("UPDATE_PROVISIONED_PRODUCT", "FAILED", [], "v1.1.0")).toMatch(/still runs.*AWS's reason: none given\.$/);
  });

  it("after a failed launch or termination, gives AWS's own words", () => {
    expect(statusMessageAfterRecord("PROVISION_PRODUCT", "FAILED", ["Bucket name taken", "Rolled back"], "v1")).toBe("Bucket name taken; Rolled back");
    expect(statusMessageAfterRecord("TERMINATE_PROVISIONED_PRODUCT", "FAILED", [], "v1")).toBe("AWS reported a failure without a reason.");
  });

  it("after a success, has nothing to say unless AWS did", () => {
    expect(statusMessageAfterRecord("UPDATE_PROVISIONED_PRODUCT", "SUCCEEDED", [], "v1")).toBeNull();
    expect(statusMessageAfterRecord("PROVISION_PRODUCT", "SUCCEEDED", ["warning from AWS"], "v1")).toBe("warning from AWS");
  });
});

describe("recordStatusFromAnswer", () => {
  it("keeps a running status and turns a final one into IN_PROGRESS, so that tracking sees the end", async () => {
    const { recordStatusFromAnswer } = await import("./status");
    expect(recordStatusFromAnswer("CREATED")).toBe("CREATED");
    expect(recordStatusFromAnswer("IN_PROGRESS_IN_ERROR")).toBe("IN_PROGRESS_IN_ERROR");
    expect(recordStatusFromAnswer("SUCCEEDED")).toBe("IN_PROGRESS");
    expect(recordStatusFromAnswer("FAILED")).toBe("IN_PROGRESS");
    expect(recordStatusFromAnswer(undefined)).toBe("CREATED");
    expect(recordStatusFromAnswer("SOMETHING_NEW")).toBe("CREATED");
  });
});

describe("settledNotice", () => {
  const product = (status: string, statusMessage: string | null = null) => ({ name: "ws-1", status, statusMessage });
  it("says nothing unless a product in progress has just settled", () => {
    expect(settledNotice(undefined, product("AVAILABLE"))).toBeNull();
    expect(settledNotice("AVAILABLE", product("AVAILABLE"))).toBeNull();
    expect(settledNotice("AVAILABLE", product("ERROR"))).toBeNull();
    expect(settledNotice("UNDER_CHANGE", product("UNDER_CHANGE"))).toBeNull();
  });
  it("names the product and its new status, good news or bad, with AWS's message", () => {
    expect(settledNotice("UNDER_CHANGE", product("AVAILABLE"))).toEqual({ tone: "success", title: `ws-1: ${statusBadge("AVAILABLE").label}` });
    expect(settledNotice("UNDER_CHANGE", product("TERMINATED"))).toMatchObject({ tone: "success" });
    expect(settledNotice("PLAN_IN_PROGRESS", product("TAINTED", "The update failed"))).toEqual({ tone: "error", title: `ws-1: ${statusBadge("TAINTED").label}`, description: "The update failed" });
  });
});
