import { CustomerTransferApi } from "./api/customerTransferApi";
import { DepartmentApi } from "./api/departmentApi";
import { ExternalContactApi } from "./api/externalContactApi";
import { GroupChatApi } from "./api/groupChatApi";
import { GroupMsgRecordApi } from "./api/groupMsgRecordApi";
import { InterceptRuleApi } from "./api/interceptRuleApi";
import { MessageApi } from "./api/messageApi";
import { MiniProgramApi } from "./api/miniProgramApi";
import { MsgAuditApi } from "./api/msgAuditApi";
import { MsgTemplateApi } from "./api/msgTemplateApi";
import { OAuthApi } from "./api/oAuthApi";
import { RobotWebhook } from "./api/robotWebhook";
import { UserApi } from "./api/userApi";
import type { WeComClientSettings } from "./settings";
import type { AccessTokenProvider } from "./tokens/accessTokenProvider";
import type { WeComHttp } from "./weComHttp";

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
