import type { EntityManager } from "typeorm";
import { inheritedThreads } from "../../handover/successorAccess";
import { StaffDirectory } from "../../org/directory/staffDirectory";
import type { Actor } from "../../org/policies/actor";
import { can } from "../../org/policies/authorize";
import type { Action } from "../../org/policies/resources";
import { AuthorizationError } from "../../platform/errors";
import { mayAccessRoom, staffArchiveScope, type ConversationResource, type StaffArchiveScope } from "./archiveScope";

/**
 * Gathers what the conversation policy needs (department paths of the staff
 * member, what was handed to the actor) and asks it. One instance per request:
 * lookups are cached for the request only.
 */
export class ConversationAccess {
  private readonly resources = new Map<string, Promise<ConversationResource>>();
  private handedToActor: Promise<Map<string, string[]>> | undefined;

  constructor(
    private readonly manager: EntityManager,
    readonly actor: Actor,
  ) {}

  /** The actor's scope in a staff member's archive; 403 when there is none. */
  async staffArchive(action: Action, staffUserid: string): Promise<StaffArchiveScope> {
    const scope = staffArchiveScope(this.actor, action, await this.resource(staffUserid));
    if (!scope) throw new AuthorizationError("没有权限查看该员工的会话存档");
    return scope;
  }

  async mayThread(action: Action, staffUserid: string, externalUserid: string): Promise<boolean> {
    return can(this.actor, action, { ...(await this.resource(staffUserid)), externalUserId: externalUserid });
  }

  async thread(action: Action, staffUserid: string, externalUserid: string): Promise<void> {
    if (!(await this.mayThread(action, staffUserid, externalUserid))) throw new AuthorizationError("没有权限查看该会话");
  }

  async mayRoom(action: Action, roomId: string): Promise<boolean> {
    const staff = (await this.roomStaff([roomId])).get(roomId) ?? [];
    return mayAccessRoom(this.actor, action, await Promise.all(staff.map((s) => this.resource(s))));
  }

  async room(action: Action, roomId: string): Promise<void> {
    if (!(await this.mayRoom(action, roomId))) throw new AuthorizationError("没有权限查看该群聊");
  }

  private resource(staffUserid: string): Promise<ConversationResource> {
    let r = this.resources.get(staffUserid);
    if (!r) {
      r = (async () => {
        const departmentPaths = await new StaffDirectory(this.manager).departmentPaths(staffUserid);
        const handed = (await this.handed()).get(staffUserid);
        return {
          kind: "conversation" as const,
          staffUserid,
          departmentPaths,
          inheritedBy: handed ? [{ successorUserid: this.actor.userid, externalUserIds: handed }] : [],
        };
      })();
      this.resources.set(staffUserid, r);
    }
    return r;
  }

  /** Only the actor's own inheritance matters for the actor's access. */
  private handed(): Promise<Map<string, string[]>> {
    this.handedToActor ??= inheritedThreads(this.manager, this.actor.userid).then(
      (rows) => new Map(rows.map((r) => [r.predecessor, r.externalUserIds])),
    );
    return this.handedToActor;
  }

  private async roomStaff(roomIds: string[]): Promise<Map<string, string[]>> {
    const rows: { room_id: string; staff: string[] }[] = await this.manager.query(
      `SELECT room_id, array_agg(DISTINCT staff_userid ORDER BY staff_userid) AS staff
         FROM archive_message WHERE room_id = ANY($1) AND staff_userid IS NOT NULL GROUP BY room_id`,
      [roomIds],
    );
    return new Map(rows.map((r) => [r.room_id, r.staff]));
  }
}
