import type {
  ArchiveConsent,
  CustomerTransfer,
  Department,
  ExternalContact,
  Follow,
  GroupChat,
  GroupChatTransfer,
  InterceptRule,
  MsgTemplate,
  SentAppMessage,
  TemplateCardUpdate,
  User,
  WebhookMessage,
} from "./types";
import { followKey } from "./followKey";
import { seedState, type SeedInput } from "./seed";
import type { Clock } from "../../platform/clock";

export interface SandboxLimits {
  /** Customers one member may hold; a takeover beyond it ends in transfer status 4. */
  customerCap: number;
}

/**
 * Everything the fake corp knows. Plain data plus lookups: the rules that
 * change it live in routes/, transfers/ and actors/. Tests read it directly.
 */
export class SandboxState {
  readonly departments = new Map<number, Department>();
  readonly users = new Map<string, User>();
  readonly externalContacts = new Map<string, ExternalContact>();
  private readonly followMap = new Map<string, Follow>();
  readonly groupChats = new Map<string, GroupChat>();
  /** Robot webhook keys → robot name. */
  readonly robots = new Map<string, string>();
  /** Mini-program appids associated with the sandbox app. */
  readonly miniProgramAppIds = new Set<string>(["wxsandboxminiprogram"]);
  /** Members licensed for chat archiving (get_permit_user_list). */
  readonly archivePermitUsers = new Set<string>();

  readonly messages: SentAppMessage[] = [];
  readonly webhookMessages: WebhookMessage[] = [];
  readonly templateCardUpdates: TemplateCardUpdate[] = [];
  /** Per card (task_id), the members whose buttons an update greyed out: they can no longer press them. */
  readonly greyedCards = new Map<string, Set<string>>();
  readonly transfers: CustomerTransfer[] = [];
  readonly groupChatTransfers: GroupChatTransfer[] = [];
  /** Groups whose inheritance HR started in the admin console and WeCom has not finished (90507). */
  readonly groupInheritancePending = new Map<string, string>();
  readonly interceptRules: InterceptRule[] = [];
  /** Ids of deleted intercept rules: WeCom tells "deleted" (41071) from "never existed" (41070). */
  readonly deletedInterceptRuleIds = new Set<string>();
  readonly msgTemplates = new Map<string, MsgTemplate>();
  readonly archiveConsents = new Map<string, ArchiveConsent>();

  constructor(
    readonly clock: Clock,
    readonly limits: SandboxLimits,
  ) {}

  seed(input: SeedInput): void {
    seedState(this, input, this.clock.now());
  }

  activeUser(userid: string): User | undefined {
    const user = this.users.get(userid);
    return user && user.status === 1 ? user : undefined;
  }

  follow(userid: string, externalUserId: string): Follow | undefined {
    return this.followMap.get(followKey(userid, externalUserId));
  }

  addFollow(follow: Follow): void {
    this.followMap.set(followKey(follow.userid, follow.externalUserId), follow);
  }

  removeFollow(userid: string, externalUserId: string): boolean {
    return this.followMap.delete(followKey(userid, externalUserId));
  }

  /** Relations a customer or member deleted (not moved by a transfer): a transfer of them answers 84061. */
  readonly deletedRelations = new Set<string>();

  followsOf(userid: string): Follow[] {
    return [...this.followMap.values()].filter((f) => f.userid === userid);
  }

  followersOf(externalUserId: string): Follow[] {
    return [...this.followMap.values()].filter((f) => f.externalUserId === externalUserId);
  }

  allFollows(): Follow[] {
    return [...this.followMap.values()];
  }

  /** Members of a department and, when asked, of every department below it. */
  /**
   * The direct members of one department, as user/list and user/simplelist answer: fetch_child is no
   * longer honoured (developer.work.weixin.qq.com/document/path/96259, path/96260), and a deleted
   * member is in no list.
   */
  departmentMembers(departmentId: number): User[] {
    return [...this.users.values()].filter((u) => u.leftAt === undefined && u.departments.includes(departmentId));
  }

  departmentSubtree(rootId: number): number[] {
    const result = [rootId];
    for (let i = 0; i < result.length; i++) {
      for (const d of this.departments.values()) if (d.parentId === result[i] && d.id !== rootId) result.push(d.id);
    }
    return result;
  }

  messagesTo(userid: string): SentAppMessage[] {
    return this.messages.filter((m) => m.deliveredTo.includes(userid));
  }
}
