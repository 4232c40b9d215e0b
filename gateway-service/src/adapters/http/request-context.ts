import { randomUUID } from "node:crypto";
import type { RequestHandler, Response } from "express";
import type { Logger } from "@support-chat/service-kit";
import { correlationIdOf } from "../../domain/correlation.js";

export const CORRELATION_HEADER = "X-Correlation-Id";

/**
 * Gives every request a correlation id (the caller's, when it is a safe one), echoes it to the
 * caller and logs one line per request with it, so a complaint can be traced through services.
 */
export const requestContext =
  (log: Logger): RequestHandler =>
  (req, res, next) => {
    const correlationId = correlationIdOf(req.get(CORRELATION_HEADER), randomUUID);
    res.locals["correlationId"] = correlationId;
    res.set(CORRELATION_HEADER, correlationId);
    const started = process.hrtime.bigint();
    res.on("finish", () => {
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      log.info(
        {
          correlationId,
          method: req.method,
          path: req.originalUrl.split("?")[0],
          status: res.statusCode,
          ms,
        },
        "request",
      );
    });
    next();
  };

export const correlationIdOfResponse = (res: Response): string =>
  String(res.locals["correlationId"] ?? randomUUID());
