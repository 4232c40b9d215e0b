import type { SupportReport } from "@support-chat/contracts";
import { describe, expect, it } from "vitest";
import { reportCsv, reportFileName } from "../src/domain/report-csv.js";

const none = { count: 0, medianSeconds: null, p90Seconds: null, averageSeconds: null };
const noRatings = { count: 0, average: null, csatPercent: null };

const report = (agentName: string): SupportReport => ({
  period: {
    from: "2025-03-03T00:00:00.000Z",
    to: "2025-03-04T00:00:00.000Z",
    timeZone: "Europe/Berlin",
    bucket: "hour",
  },
  summary: {
    chats: 1,
    assigned: 1,
    answered: 1,
    closed: 0,
    abandoned: 0,
    firstResponse: { count: 1, medianSeconds: 12.5, p90Seconds: 12.5, averageSeconds: 12.5 },
    wait: none,
    resolution: none,
    ratings: noRatings,
  },
  agents: [{ agentId: "a-1", agentName, chats: 1, firstReplies: 1, closed: 0, ratings: noRatings }],
  workload: [
    { start: "2025-03-03T00:00:00.000Z", opened: 1, agents: [{ agentId: "a-1", chats: 1 }] },
  ],
  busiestHours: [{ hour: 1, chats: 1 }],
  busiestWeekdays: [{ weekday: 1, chats: 1 }],
  ratingDistribution: [{ score: 5, count: 0 }],
});

describe("report CSV", () => {
  it("has a header and one figure per line, CRLF-terminated, empty cells for no value", () => {
    const lines = reportCsv(report("Ada")).split("\r\n");
    expect(lines[0]).toBe("section,key,agent_id,agent_name,metric,value");
    expect(lines).toContain("period,,,,time_zone,Europe/Berlin");
    expect(lines).toContain("summary,,,,first_response_median_seconds,12.5");
    expect(lines).toContain("summary,,,,wait_median_seconds,");
    expect(lines).toContain("agent,,a-1,Ada,first_replies,1");
    expect(lines).toContain("workload,2025-03-03T00:00:00.000Z,a-1,,chats_held,1");
    expect(lines).toContain("hour,1,,,chats,1");
    expect(lines.at(-1)).toBe("");
  });

  it("quotes commas and quotes, and keeps names from turning into formulas", () => {
    expect(reportCsv(report('Ada "A", Lovelace'))).toContain(
      'agent,,a-1,"Ada ""A"", Lovelace",chats,1',
    );
    expect(reportCsv(report("=HYPERLINK(1)"))).toContain("agent,,a-1,'=HYPERLINK(1),chats,1");
    expect(reportCsv(report("@sum"))).toContain("agent,,a-1,'@sum,chats,1");
  });

  it("names the file after the period", () => {
    expect(reportFileName(report("Ada"))).toBe("support-report-2025-03-03-to-2025-03-04.csv");
  });
});
