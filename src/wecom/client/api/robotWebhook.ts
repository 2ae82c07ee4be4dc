import { assertMaxBytes } from "../limits";
import type { WeComReply } from "../transport/weComTransport";
import type { WeComHttp } from "../weComHttp";

export interface RobotMentions {
  /** userids, or "@all". */
  mentioned_list?: string[];
  mentioned_mobile_list?: string[];
}

/** Group-robot webhook: no access token, the key in the URL is the credential (20 messages/min per robot). */
export class RobotWebhook {
  constructor(
    private readonly http: WeComHttp,
    private readonly defaultKey?: string,
  ) {}

  async sendText(content: string, mentions: RobotMentions = {}, key?: string): Promise<WeComReply> {
    assertMaxBytes("text.content", content, 2048);
    return this.send({ msgtype: "text", text: { content, ...mentions } }, key);
  }

  async sendMarkdown(content: string, key?: string): Promise<WeComReply> {
    assertMaxBytes("markdown.content", content, 4096);
    return this.send({ msgtype: "markdown", markdown: { content } }, key);
  }

  private async send(body: unknown, key = this.defaultKey): Promise<WeComReply> {
    if (!key) throw new Error("no robot webhook key: pass one or set WECOM_ROBOT_WEBHOOK_KEY");
    return this.http.post("webhook", "/cgi-bin/webhook/send", { secret: "none", query: { key }, body });
  }
}
