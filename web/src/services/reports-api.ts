import type { SupportReport } from "@support-chat/contracts";
import { t } from "../i18n/text.js";
import { call } from "./api.js";
import { ChatRequestError, CLIENT_ERRORS } from "./errors.js";
import { apiUrl, gatewayToken } from "./gateway.js";

export interface ReportRequest {
  from: Date;
  to: Date;
  timeZone: string;
}

const query = (r: ReportRequest, format: "json" | "csv") =>
  new URLSearchParams({
    from: r.from.toISOString(),
    to: r.to.toISOString(),
    timeZone: r.timeZone,
    format,
  }).toString();

/** The managers' reports on the gateway. */
export const reportsApi = {
  report: async (r: ReportRequest): Promise<SupportReport> =>
    (await call<SupportReport>("GET", `/chat/support/reports?${query(r, "json")}`)).data,

  /** The same report as a CSV file, with the name the gateway gives it. */
  csv: async (r: ReportRequest): Promise<{ blob: Blob; fileName: string }> => {
    const token = gatewayToken();
    let response: Response;
    try {
      response = await fetch(apiUrl(`/chat/support/reports?${query(r, "csv")}`), {
        headers: token ? { Authorization: `Bearer ${token}` } : {},
      });
    } catch {
      throw new ChatRequestError(CLIENT_ERRORS.network, "Cannot reach the support server", true);
    }
    if (!response.ok) {
      const body = (await response.json().catch(() => null)) as {
        error?: { code?: string; message?: string };
      } | null;
      throw new ChatRequestError(
        body?.error?.code ?? `HTTP_${response.status}`,
        body?.error?.message ?? t("errors.requestFailed", { status: response.status }),
      );
    }
    const disposition = response.headers.get("content-disposition") ?? "";
    const fileName = /filename="([^"]+)"/.exec(disposition)?.[1] ?? "support-report.csv";
    return { blob: await response.blob(), fileName };
  },
};
