import "server-only";
import { eq, sql } from "drizzle-orm";
import nodemailer from "nodemailer";
import { notificationDeliveries, notifications, users } from "@/db/schema";
import { getConfig } from "@/lib/config";
import type { Db } from "@/lib/db";
import { DELIVERY_RETRY_LIMIT } from "@/lib/jobs/queue";
import { getLogger } from "@/lib/log";

export type Channel = "email" | "teams" | "slack";
export type Message = { title: string; body: string; link: string | null };

const TIMEOUT_MS = 10_000;

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
// Slack's own escaping for mrkdwn text: without it "<!channel>" or "<http://x|y>" would be markup.
const escapeSlack = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
// Adaptive Card TextBlocks render a small markdown subset (emphasis, links, lists); escaping just
// those characters keeps user text literal without stray backslashes elsewhere.
const escapeCardMarkdown = (s: string) =>
  s.replace(/[\\*_[\]]/g, "\\$&").replace(/^(\s*)([-+]|\d+\.)(\s)/gm, "$1\\$2$3");

export async function sendEmail(opts: { smtpUrl: string; from: string; to: string; message: Message }): Promise<void> {
  const { title, body, link } = opts.message;
  const transport = nodemailer.createTransport({
    url: opts.smtpUrl,
    connectionTimeout: TIMEOUT_MS,
    greetingTimeout: TIMEOUT_MS,
    socketTimeout: TIMEOUT_MS,
  });
  const html =
    `<p><strong>${escapeHtml(title)}</strong></p>` +
    body
      .split("\n")
      .map((line) => `<p>${escapeHtml(line)}</p>`)
      .join("") +
    (link ? `<p><a href="${escapeHtml(link)}">Open in Berth</a></p>` : "");
  try {
    await transport.sendMail({
      from: opts.from,
      to: opts.to,
      subject: title,
      text: `${body}${link ? `\n\n${link}` : ""}\n`,
      html,
    });
  } finally {
    transport.close();
  }
}

/** Microsoft Teams (Workflows / incoming webhook): one Adaptive Card with a button to Berth. */
export function teamsPayload({ title, body, link }: Message) {
  const card = {
    $schema: "http://adaptivecards.io/schemas/adaptive-card.json",
    type: "AdaptiveCard",
    version: "1.4",
    body: [
      { type: "TextBlock", text: escapeCardMarkdown(title), weight: "Bolder", size: "Medium", wrap: true },
      ...body
        .split("\n")
        .filter(Boolean)
        .map((line) => ({ type: "TextBlock", text: escapeCardMarkdown(line), wrap: true })),
    ],
    actions: link ? [{ type: "Action.OpenUrl", title: "Open in Berth", url: link }] : [],
  };
  return {
    type: "message",
    attachments: [{ contentType: "application/vnd.microsoft.card.adaptive", contentUrl: null, content: card }],
  };
}

/** Slack incoming webhook: `text` is the notification fallback, blocks show the same as plain text. */
export function slackPayload({ title, body, link }: Message) {
  const text = `*${escapeSlack(title)}*\n${escapeSlack(body)}${link ? `\n<${link}|Open in Berth>` : ""}`;
  const blocks: object[] = [
    { type: "header", text: { type: "plain_text", text: title.slice(0, 150) } },
    { type: "section", text: { type: "plain_text", text: body.slice(0, 3000) || " " } },
  ];
  if (link)
    blocks.push({
      type: "actions",
      elements: [{ type: "button", text: { type: "plain_text", text: "Open in Berth" }, url: link }],
    });
  return { text, blocks };
}

/** POSTs JSON; anything but a 2xx within the timeout is a failure (redirects too: a webhook never moves). */
export async function postJson(url: string, payload: unknown): Promise<void> {
  let res: Response;
  try {
    res = await fetch(url, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(payload),
      redirect: "manual",
      signal: AbortSignal.timeout(TIMEOUT_MS),
    });
  } catch (err) {
    // fetch says only "fetch failed"; the cause (ECONNREFUSED, timeout) is what an operator needs.
    const cause = (err as { cause?: { code?: string; message?: string } }).cause;
    throw new Error(`webhook unreachable: ${cause?.code ?? cause?.message ?? (err as Error).message}`);
  }
  if (res.status < 200 || res.status > 299)
    throw new Error(`webhook answered HTTP ${res.status}: ${(await res.text().catch(() => "")).slice(0, 200)}`);
}

class ChannelUnavailable extends Error {}

async function send(channel: Channel, message: Message, email: string | null): Promise<void> {
  const n = getConfig().notifications;
  if (channel === "email") {
    if (!n.smtpUrl || !email)
      throw new ChannelUnavailable("e-mail is no longer configured, or the user has no address");
    return sendEmail({ smtpUrl: n.smtpUrl, from: n.smtpFrom, to: email, message });
  }
  const url = channel === "teams" ? n.teamsWebhook : n.slackWebhook;
  if (!url) throw new ChannelUnavailable(`the ${channel} webhook is no longer configured`);
  return postJson(url, channel === "teams" ? teamsPayload(message) : slackPayload(message));
}

/**
 * One attempt at one delivery, as the `notification-deliver` job runs it. Sent: marks the row
 * sent. Failed: records the attempt and throws so pg-boss retries with backoff; the last attempt
 * (by our count or pg-boss's) leaves the row failed. Only this row changes: the inbox copy and
 * the other channels' deliveries are separate rows and jobs.
 */
export async function deliverNotification(opts: {
  db: Db;
  deliveryId: number;
  finalAttempt?: boolean;
}): Promise<"sent" | "failed" | "skipped"> {
  const { db, deliveryId } = opts;
  const [d] = await db
    .select({
      state: notificationDeliveries.state,
      channel: notificationDeliveries.channel,
      attempts: notificationDeliveries.attempts,
      title: notifications.title,
      body: notifications.body,
      link: notifications.link,
      email: users.email,
    })
    .from(notificationDeliveries)
    .innerJoin(notifications, eq(notifications.id, notificationDeliveries.notificationId))
    .innerJoin(users, eq(users.id, notifications.userId))
    .where(eq(notificationDeliveries.id, deliveryId));
  // Not visible (yet): the notifying transaction may not have committed; retrying is cheap.
  if (!d) throw new Error(`notification delivery ${deliveryId} not found`);
  if (d.state !== "pending") return "skipped"; // a duplicate job, or one that already finished
  const attempts = d.attempts + 1;
  try {
    await send(d.channel as Channel, { title: d.title, body: d.body, link: d.link }, d.email);
  } catch (err) {
    const message = (err as Error).message.slice(0, 1000);
    const permanent = err instanceof ChannelUnavailable;
    const failed = permanent || attempts > DELIVERY_RETRY_LIMIT || opts.finalAttempt === true;
    await db
      .update(notificationDeliveries)
      .set({ attempts, lastError: message, state: failed ? "failed" : "pending", updatedAt: sql`now()` })
      .where(eq(notificationDeliveries.id, deliveryId));
    getLogger().warn(
      { deliveryId, channel: d.channel, attempts, failed, err: message },
      "notification delivery failed",
    );
    if (permanent) return "failed"; // nothing a retry could change
    throw err;
  }
  await db
    .update(notificationDeliveries)
    .set({ attempts, lastError: null, state: "sent", updatedAt: sql`now()` })
    .where(eq(notificationDeliveries.id, deliveryId));
  return "sent";
}
