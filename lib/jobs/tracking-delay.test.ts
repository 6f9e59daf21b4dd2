import { describe, expect, it } from "vitest";
import { trackingDelaySeconds } from "@/lib/jobs/boss";

describe("how often a record is looked at", () => {
  it("looks every second for the first seconds, then less and less often, never more than 30 s apart", () => {
    expect(Array.from({ length: 12 }, (_, i) => trackingDelaySeconds(i))).toEqual([1, 1, 1, 2, 3, 4, 6, 8, 11, 16, 23, 30]);
  });

  it("looks at a 5-minute launch about 20 times and an hour-long one about 130 (every 30 s past the first minute)", () => {
    let elapsed = 0;
    let looks = 0;
    while (elapsed < 3600) elapsed += trackingDelaySeconds(looks++);
    expect(looks).toBeLessThan(140);
    // and a 5-minute launch (an EC2 instance) about 20
    let t = 0;
    let n = 0;
    while (t < 300) t += trackingDelaySeconds(n++);
    expect(n).toBeLessThanOrEqual(20);
  });
});
