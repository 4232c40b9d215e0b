/** Every user-provided string goes through this before it enters HTML. */
export const escapeHtml = (text: string): string =>
  text
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;")
    .replace(/'/g, "&#39;");

/** Newlines kept as line breaks, after escaping. */
export const escapeMultiline = (text: string): string => escapeHtml(text).replace(/\r?\n/g, "<br>");

/** Times in e-mails: UTC, to the minute, the same for every reader. */
export const mailTime = (iso: string): string => `${iso.slice(0, 10)} ${iso.slice(11, 16)} UTC`;

export type Email = Readonly<{ subject: string; text: string; html: string }>;

/** The frame every e-mail shares: a title, the body, and a footer line. */
export const htmlDocument = (title: string, body: string, footer: string): string =>
  [
    "<!doctype html>",
    '<html><head><meta charset="utf-8"><title>',
    escapeHtml(title),
    "</title></head>",
    '<body style="font-family: sans-serif; color: #1f2933; max-width: 640px; margin: 0 auto;">',
    `<h1 style="font-size: 20px;">${escapeHtml(title)}</h1>`,
    body,
    `<p style="color: #616e7c; font-size: 12px;">${footer}</p>`,
    "</body></html>",
  ].join("");
