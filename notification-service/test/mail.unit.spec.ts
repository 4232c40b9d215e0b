import type { Transcript } from "@support-chat/contracts";
import { describe, expect, it } from "vitest";
import { escapeHtml } from "../src/domain/mail/html.js";
import {
  chatLink,
  decideOfflineNotice,
  excerptOf,
  offlineNoticeEmail,
  type CustomerPresence,
} from "../src/domain/mail/offline-notice.js";
import { transcriptEmail } from "../src/domain/mail/transcript-email.js";
import { MailEnv, smtpSettingsOf } from "../src/mail-config.js";

const AT = Date.parse("2026-03-01T10:00:00.000Z");
const rules = { afterMs: 60_000 };
const support = { isFromSupport: true };
const away = (sinceMs: number | null, connectedAt: number | null = 1000): CustomerPresence => ({
  connected: false,
  connectedAt,
  awaySince: sinceMs,
  email: null,
});

describe("the offline notice decision", () => {
  it("sends when the customer had been away at least the threshold when support replied", () => {
    expect(decideOfflineNotice(support, away(AT - 60_000), AT, rules)).toEqual({
      send: true,
      burst: "1000",
    });
  });

  it("does not send while the customer is connected, nor just after they left", () => {
    const connected = { ...away(null), connected: true };
    expect(decideOfflineNotice(support, connected, AT, rules)).toEqual({
      send: false,
      reason: "connected",
    });
    expect(decideOfflineNotice(support, away(AT - 59_999), AT, rules)).toEqual({
      send: false,
      reason: "recently-away",
    });
  });

  it("never sends for the customer's own messages", () => {
    expect(decideOfflineNotice({ isFromSupport: false }, away(0), AT, rules).send).toBe(false);
  });

  it("names the absence by the last connection, so coming back starts a new burst", () => {
    const first = decideOfflineNotice(support, away(AT - 90_000, 5), AT, rules);
    const second = decideOfflineNotice(support, away(AT - 90_000, 7), AT, rules);
    expect(first).toEqual({ send: true, burst: "5" });
    expect(second).toEqual({ send: true, burst: "7" });
  });

  it("treats a customer never seen on a socket as away", () => {
    expect(decideOfflineNotice(support, away(null, null), AT, rules)).toEqual({
      send: true,
      burst: "0",
    });
  });
});

const transcript: Transcript = {
  roomId: "6f1c2b7e-3a4d-4e5f-8a9b-0c1d2e3f4a5b",
  customerName: `Eve "<img src=x onerror=alert(1)>"`,
  agentName: "Ada",
  openedAt: "2026-03-01T09:00:00.000Z",
  closedAt: "2026-03-01T09:30:00.000Z",
  lines: [
    {
      seq: 1,
      senderName: `Eve "<img src=x onerror=alert(1)>"`,
      isFromSupport: false,
      message: "<script>steal()</script>\nsecond line & more",
      attachmentNames: ["<b>invoice</b>.pdf"],
      createdAt: "2026-03-01T09:01:00.000Z",
    },
    {
      seq: 2,
      senderName: "Ada",
      isFromSupport: true,
      message: "Hello 'there'",
      attachmentNames: [],
      createdAt: "2026-03-01T09:02:00.000Z",
    },
  ],
  truncated: false,
};

describe("the transcript e-mail", () => {
  const email = transcriptEmail(transcript, "https://shop.example/#support-chat");

  it("escapes every user-provided string in the HTML part", () => {
    expect(email.html).not.toMatch(/<script|<img|<b>invoice/);
    expect(email.html).toContain("&lt;script&gt;steal()&lt;/script&gt;<br>second line &amp; more");
    expect(email.html).toContain("Eve &quot;&lt;img src=x onerror=alert(1)&gt;&quot;");
    expect(email.html).toContain("&lt;b&gt;invoice&lt;/b&gt;.pdf");
    expect(email.html).toContain("Hello &#39;there&#39;");
  });

  it("carries the same conversation as plain text, with names, sides and UTC times", () => {
    expect(email.text).toContain(
      `[2026-03-01 09:01 UTC] Eve "<img src=x onerror=alert(1)>": <script>steal()</script>`,
    );
    expect(email.text).toContain("[2026-03-01 09:02 UTC] Ada (support): Hello 'there'");
    expect(email.text).toContain("[attached: <b>invoice</b>.pdf]");
    expect(email.text).toContain("Started 2026-03-01 09:00 UTC, ended 2026-03-01 09:30 UTC.");
  });

  it("says when the conversation was cut short", () => {
    const cut = transcriptEmail({ ...transcript, truncated: true }, "https://shop.example/");
    expect(cut.text).toMatch(/first messages only/);
  });
});

describe("the offline notice e-mail", () => {
  it("quotes the reply, escaped, with the link back", () => {
    const email = offlineNoticeEmail(
      { agentName: "Ada <admin>", message: "Your <parcel> is here" },
      chatLink("https://shop.example/products?x=1"),
    );
    expect(email.subject).toBe("Ada <admin> replied to your support chat");
    expect(email.text).toContain("https://shop.example/products?x=1#support-chat");
    expect(email.html).toContain("Ada &lt;admin&gt;");
    expect(email.html).toContain("Your &lt;parcel&gt; is here");
  });

  it("keeps the excerpt short", () => {
    expect([...excerptOf("é".repeat(500))]).toHaveLength(301);
  });
});

describe("mail settings", () => {
  it("is off without SMTP_URL or SMTP_HOST", () => {
    expect(smtpSettingsOf(MailEnv.parse({}))).toBeUndefined();
  });

  it("takes a URL, or a host with optional credentials", () => {
    expect(smtpSettingsOf(MailEnv.parse({ SMTP_URL: "smtp://localhost:1025" }))).toEqual({
      url: "smtp://localhost:1025",
    });
    expect(
      smtpSettingsOf(
        MailEnv.parse({
          SMTP_HOST: "smtp.example.com",
          SMTP_PORT: "465",
          SMTP_SECURE: "true",
          SMTP_USER: "u",
          SMTP_PASS: "p",
        }),
      ),
    ).toEqual({
      host: "smtp.example.com",
      port: 465,
      secure: true,
      auth: { user: "u", pass: "p" },
    });
  });

  it("escapes the five HTML-significant characters", () => {
    expect(escapeHtml(`<a href="x">'&'</a>`)).toBe(
      "&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;",
    );
  });
});
