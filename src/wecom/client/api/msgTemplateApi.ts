import { assertCountBetween, assertMaxBytes } from "../limits";
import type { WeComReply } from "../transport/weComTransport";
import type { WeComHttp } from "../weComHttp";

export type MsgTemplateAttachment =
  | { msgtype: "image"; image: { media_id?: string; pic_url?: string } }
  | { msgtype: "link"; link: { title: string; picurl?: string; desc?: string; url: string } }
  | { msgtype: "miniprogram"; miniprogram: { title: string; pic_media_id: string; appid: string; page: string } }
  | { msgtype: "video"; video: { media_id: string } }
  | { msgtype: "file"; file: { media_id: string } };

export interface AddMsgTemplateRequest {
  chat_type?: "single" | "group";
  /** Up to 10,000 customers. */
  external_userid?: string[];
  sender?: string;
  text?: { content: string };
  /** Up to 9. */
  attachments?: MsgTemplateAttachment[];
}

export interface AddMsgTemplateResult extends WeComReply {
  fail_list: string[];
  msgid: string;
}

/** 群发 to customers (externalcontact/add_msg_template): nothing is sent until the member confirms. */
export class MsgTemplateApi {
  constructor(private readonly http: WeComHttp) {}

  async addMsgTemplate(request: AddMsgTemplateRequest): Promise<AddMsgTemplateResult> {
    assertCountBetween("external_userid", request.external_userid, 0, 10_000);
    assertMaxBytes("text.content", request.text?.content, 4000);
    assertCountBetween("attachments", request.attachments, 0, 9);
    request.attachments?.forEach((a, i) => {
      if (a.msgtype === "miniprogram") assertMaxBytes(`attachments[${i}].miniprogram.title`, a.miniprogram.title, 64);
    });
    const reply = await this.http.post<AddMsgTemplateResult>(
      "externalcontact",
      "/cgi-bin/externalcontact/add_msg_template",
      { secret: "customer", body: request },
    );
    return { ...reply, fail_list: reply.fail_list ?? [] };
  }
}
