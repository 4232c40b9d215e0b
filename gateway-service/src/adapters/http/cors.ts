import type { RequestHandler } from "express";

const EXPOSED = "X-Correlation-Id, X-Has-More, X-Last-Seq";
const ALLOWED_HEADERS = "Authorization, Content-Type, X-Correlation-Id";

export const isAllowedOrigin = (origins: readonly string[], origin: string): boolean =>
  origins.includes("*") || origins.includes(origin);

/** CORS for the storefront and console origins in CORS_ORIGIN (the same list socket.io uses). */
export const cors =
  (origins: readonly string[]): RequestHandler =>
  (req, res, next) => {
    res.vary("Origin");
    const origin = req.get("origin");
    if (!origin || !isAllowedOrigin(origins, origin)) return next();
    res.set("Access-Control-Allow-Origin", origin);
    res.set("Access-Control-Allow-Credentials", "true");
    res.set("Access-Control-Expose-Headers", EXPOSED);
    if (req.method !== "OPTIONS") return next();
    res.set("Access-Control-Allow-Methods", "GET, POST, PUT, PATCH, DELETE, OPTIONS");
    res.set("Access-Control-Allow-Headers", ALLOWED_HEADERS);
    res.set("Access-Control-Max-Age", "600");
    res.status(204).end();
  };
