import type { SandboxCore } from "../core";
import { appMessageRoutes } from "./appMessages";
import { customerTransferRoutes } from "./customerTransfers";
import { directoryRoutes } from "./directory";
import { externalContactRoutes } from "./externalContacts";
import { financeRoutes } from "./finance";
import { groupChatRoutes } from "./groupChats";
import { groupMsgRecordRoutes } from "./groupMsgRecords";
import { interceptRuleRoutes } from "./interceptRules";
import { loginRoutes } from "./login";
import { massMessageRoutes } from "./massMessages";
import { msgauditRoutes } from "./msgaudit";
import type { SandboxRoute } from "./route";
import { tokenRoutes } from "./token";
import { webhookRoutes } from "./webhook";

export function allRoutes(core: SandboxCore): SandboxRoute[] {
  return [
    tokenRoutes,
    appMessageRoutes,
    webhookRoutes,
    directoryRoutes,
    externalContactRoutes,
    customerTransferRoutes,
    groupChatRoutes,
    massMessageRoutes,
    groupMsgRecordRoutes,
    interceptRuleRoutes,
    msgauditRoutes,
    loginRoutes,
    financeRoutes,
  ].flatMap((routes) => routes(core));
}
