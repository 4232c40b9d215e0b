import { pino, type Logger } from "pino";

export type { Logger };

/** JSON logs, one object a line, with the service name on every line. */
export const createLogger = (service: string, level = "info"): Logger =>
  pino({
    name: service,
    level,
    base: { service },
    timestamp: pino.stdTimeFunctions.isoTime,
    formatters: { level: (label) => ({ level: label }) },
  });
