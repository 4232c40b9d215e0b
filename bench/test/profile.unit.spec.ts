import { describe, expect, it } from "vitest";
import { metricSum } from "../src/system/service-metrics.js";
import { originOf, summarizeProfile } from "../src/system/profile.js";

describe("where profiled code lives", () => {
  it("names packages, our workspaces, node and V8", () => {
    expect(originOf("file:///w/node_modules/@nats-io/nats-core/lib/x.js", "f")).toBe(
      "@nats-io/nats-core",
    );
    expect(originOf("file:///w/node_modules/zod/v4/core/parse.js", "f")).toBe("zod");
    expect(originOf("file:///work/main/chat-service/src/adapters/store/event-store.ts", "f")).toBe(
      "ours: chat-service",
    );
    expect(originOf("node:internal/streams/writable", "write")).toBe("node core");
    expect(originOf("", "(garbage collector)")).toBe("V8 garbage collector");
    expect(originOf("", "stringify")).toBe("V8/native builtins");
  });
});

describe("a CPU profile summary", () => {
  it("shares self time among origins and functions, leaving idle time out", () => {
    const summary = summarizeProfile("chat-service", {
      startTime: 0,
      endTime: 2_000_000,
      nodes: [
        { id: 1, callFrame: { functionName: "(root)", url: "", lineNumber: -1 }, hitCount: 0 },
        { id: 2, callFrame: { functionName: "(idle)", url: "", lineNumber: -1 }, hitCount: 50 },
        {
          id: 3,
          callFrame: {
            functionName: "parse",
            url: "file:///w/node_modules/zod/a.js",
            lineNumber: 9,
          },
          hitCount: 30,
        },
        {
          id: 4,
          callFrame: { functionName: "(garbage collector)", url: "", lineNumber: -1 },
          hitCount: 20,
        },
      ],
    });
    expect(summary).toMatchObject({ service: "chat-service", seconds: 2, busyPercent: 50 });
    expect(summary.byOrigin).toEqual([
      { name: "zod", percent: 60 },
      { name: "V8 garbage collector", percent: 40 },
    ]);
    expect(summary.topFunctions[0]).toEqual({ name: "parse a.js:10 [zod]", percent: 60 });
  });
});

describe("reading Prometheus text", () => {
  it("adds the series of one metric, optionally only those with a label", () => {
    const text = [
      "# HELP x_seconds help",
      'x_seconds_sum{operation="postMessage",outcome="ok"} 1.5',
      'x_seconds_sum{operation="postMessage",outcome="RATE_LIMITED"} 0.5',
      'x_seconds_sum{operation="getRoom",outcome="ok"} 9',
      "x_seconds_sum_total 100",
      "x_seconds_count 4",
    ].join("\n");
    expect(metricSum(text, "x_seconds_sum", 'operation="postMessage"')).toBe(2);
    expect(metricSum(text, "x_seconds_sum")).toBe(11);
    expect(metricSum(text, "x_seconds_count")).toBe(4);
  });
});
