import { DomainError } from "@support-chat/contracts";

export type LimitedAction = "messages" | "typing";

/** The refusal a flooding client gets, with how long to wait before trying again. */
export const rateLimitedError = (
  action: LimitedAction,
  perSecond: number,
  msBeforeNext: number,
): DomainError => {
  const seconds = Math.max(0.1, Math.ceil(msBeforeNext / 100) / 10);
  const what = action === "messages" ? "messages" : "typing updates";
  return new DomainError(
    "RATE_LIMITED",
    `too many ${what} (limit ${perSecond} per second); retry after ${seconds}s`,
  );
};
