import { CustomerTransferApi } from "./api/CustomerTransferApi";
import { DepartmentApi } from "./api/DepartmentApi";
import { ExternalContactApi } from "./api/ExternalContactApi";
import { GroupChatApi } from "./api/GroupChatApi";
import { GroupMsgRecordApi } from "./api/GroupMsgRecordApi";
import { InterceptRuleApi } from "./api/InterceptRuleApi";
import { MessageApi } from "./api/MessageApi";
import { MiniProgramApi } from "./api/MiniProgramApi";
import { MsgAuditApi } from "./api/MsgAuditApi";
import { MsgTemplateApi } from "./api/MsgTemplateApi";
import { OAuthApi } from "./api/OAuthApi";
import { RobotWebhook } from "./api/RobotWebhook";
import { UserApi } from "./api/UserApi";
import type { WeComClientSettings } from "./settings";
import type { AccessTokenProvider } from "./tokens/AccessTokenProvider";
import type { WeComHttp } from "./WeComHttp";

/** One object per WeCom API area, wechatpy style: `client.message.sendText(...)`. */
export class WeComClient {
  readonly message: MessageApi;
  readonly robot: RobotWebhook;
  readonly user: UserApi;
  readonly department: DepartmentApi;
  readonly externalContact: ExternalContactApi;
  readonly customerTransfer: CustomerTransferApi;
  readonly groupChat: GroupChatApi;
  readonly msgTemplate: MsgTemplateApi;
  readonly groupMsgRecords: GroupMsgRecordApi;
  readonly interceptRule: InterceptRuleApi;
  readonly msgAudit: MsgAuditApi;
  readonly miniProgram: MiniProgramApi;
  readonly oauth: OAuthApi;

  constructor(
    readonly settings: WeComClientSettings,
    readonly http: WeComHttp,
    readonly tokens: AccessTokenProvider,
  ) {
    this.message = new MessageApi(http, settings.agentId);
    this.robot = new RobotWebhook(http, settings.robotWebhookKey);
    this.user = new UserApi(http);
    this.department = new DepartmentApi(http);
    this.externalContact = new ExternalContactApi(http);
    this.customerTransfer = new CustomerTransferApi(http);
    this.groupChat = new GroupChatApi(http);
    this.msgTemplate = new MsgTemplateApi(http);
    this.groupMsgRecords = new GroupMsgRecordApi(http);
    this.interceptRule = new InterceptRuleApi(http);
    this.msgAudit = new MsgAuditApi(http);
    this.miniProgram = new MiniProgramApi(http);
    this.oauth = new OAuthApi(http);
  }
}
