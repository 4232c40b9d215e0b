import { Router } from "express";
import { DomainError, isManagerRole, ReportQuery } from "@support-chat/contracts";
import { reportCsv, reportFileName } from "../../domain/report-csv.js";
import type { ChatClient } from "../bus/chat-client.js";
import type { signedInEndpoint } from "./endpoint.js";
import { parseInput } from "./input.js";

export type ReportRoutesDeps = {
  endpoint: ReturnType<typeof signedInEndpoint>;
  chat: ChatClient;
};

/**
 * `GET /chat/support/reports?from&to&timeZone&format=json|csv`: the managers' report.
 * Customers and agents are turned away here, before anything is asked of the chat service
 * (which refuses them too).
 */
export const reportRoutes = ({ endpoint, chat }: ReportRoutesDeps) =>
  Router().get(
    "/chat/support/reports",
    endpoint("getSupportReport", async (req, caller) => {
      if (!isManagerRole(caller.principal.role)) {
        throw new DomainError("FORBIDDEN", "only managers and admins may read support reports");
      }
      const { format, ...period } = parseInput(ReportQuery, req.query, "report query");
      const report = await chat.query("getSupportReport", period, caller);
      if (format === "json") return { body: report };
      return {
        body: undefined,
        text: reportCsv(report),
        headers: {
          "content-type": "text/csv; charset=utf-8",
          "content-disposition": `attachment; filename="${reportFileName(report)}"`,
          "cache-control": "no-store",
        },
      };
    }),
  );
