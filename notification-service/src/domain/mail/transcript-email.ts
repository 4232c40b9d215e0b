import type { Transcript, TranscriptLine } from "@support-chat/contracts";
import { escapeHtml, escapeMultiline, htmlDocument, mailTime, type Email } from "./html.js";

/**
 * The transcript of a chat, as plain text and HTML. It is built from the room's messages only
 * (the chat service's `getTranscript` never reads private notes); every name and message is
 * escaped before it enters the HTML.
 */
export const transcriptEmail = (transcript: Transcript, chatUrl: string): Email => {
  const title = "Your support chat";
  const opened = `Started ${mailTime(transcript.openedAt)}`;
  const closed = transcript.closedAt ? `, ended ${mailTime(transcript.closedAt)}` : "";
  const summary = `${opened}${closed}.`;
  const cut = transcript.truncated
    ? "This transcript holds the first messages only; the conversation was longer."
    : null;
  const empty = transcript.lines.length === 0 ? "No messages were written in this chat." : null;
  const notes = [cut, empty].filter((n): n is string => n !== null);

  const text = [
    title,
    summary,
    "",
    ...transcript.lines.map(textLine),
    ...(notes.length ? ["", ...notes] : []),
    "",
    `Continue at ${chatUrl}`,
  ].join("\n");

  const rows = transcript.lines.map(htmlLine).join("");
  const body = [
    `<p>${escapeHtml(summary)}</p>`,
    rows
      ? `<table cellpadding="6" style="border-collapse: collapse; width: 100%;">${rows}</table>`
      : "",
    ...notes.map((n) => `<p><em>${escapeHtml(n)}</em></p>`),
    `<p><a href="${escapeHtml(chatUrl)}">Continue the conversation</a></p>`,
  ].join("");
  const footer = "You asked for this transcript in the support chat.";
  return {
    subject: `Transcript of your support chat (${transcript.openedAt.slice(0, 10)})`,
    text,
    html: htmlDocument(title, body, footer),
  };
};

const who = (line: TranscriptLine): string =>
  line.isFromSupport ? `${line.senderName} (support)` : line.senderName;

const attachmentsOf = (line: TranscriptLine): string =>
  line.attachmentNames.length ? `[attached: ${line.attachmentNames.join(", ")}]` : "";

const textLine = (line: TranscriptLine): string => {
  const body = [line.message, attachmentsOf(line)].filter((s) => s.length > 0).join(" ");
  return `[${mailTime(line.createdAt)}] ${who(line)}: ${body}`;
};

const htmlLine = (line: TranscriptLine): string => {
  const attachments = attachmentsOf(line);
  return [
    '<tr style="border-top: 1px solid #e4e7eb; vertical-align: top;">',
    `<td style="white-space: nowrap; color: #616e7c;">${escapeHtml(mailTime(line.createdAt))}</td>`,
    `<td><strong>${escapeHtml(who(line))}</strong><br>${escapeMultiline(line.message)}`,
    attachments ? `<br><em>${escapeHtml(attachments)}</em>` : "",
    "</td></tr>",
  ].join("");
};
