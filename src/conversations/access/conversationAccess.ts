import type { EntityManager } from "typeorm";
import { StaffDirectory } from "../../org";
import type { Actor } from "../../org";
import { can } from "../../org";
import type { Action } from "../../org";
import { AuthorizationError } from "../../platform/errors";
import type { InheritedThreads, InheritedThreadsSource } from "./inheritedThreads";
import { mayAccessRoom, staffArchiveScope, type ConversationResource, type StaffArchiveScope } from "./archiveScope";

/**
 * Gathers what the conversation policy needs (department paths of the staff
 * member, what was handed to the actor) and asks it. One instance per request:
 * lookups are cached for the request only.
 */
export class ConversationAccess {
  private readonly resources = new Map<string, Promise<ConversationResource>>();
  private handedToActor: Promise<Map<string, string[]>> | undefined;
  private inheritedRows: Promise<InheritedThreads[]> | undefined;
  private readonly roomStaffCache = new Map<string, Promise<string[]>>();

  constructor(
    private readonly manager: EntityManager,
    readonly actor: Actor,
    private readonly inheritedBy: InheritedThreadsSource,
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

  /**
   * Load what the policy needs for many threads at once (a search checks
   * every hit): department paths of these staff members and who spoke in
   * these groups, two queries instead of one per hit.
   */
  async prepare(staffUserids: string[], roomIds: string[]): Promise<void> {
    const rooms = [...new Set(roomIds)].filter((r) => !this.roomStaffCache.has(r));
    if (rooms.length > 0) {
      const found = await this.roomStaff(rooms);
      for (const r of rooms) this.roomStaffCache.set(r, Promise.resolve(found.get(r) ?? []));
      for (const s of found.values()) staffUserids.push(...s);
    }
    const missing = [...new Set(staffUserids)].filter((s) => !this.resources.has(s));
    if (missing.length === 0) return;
    const paths = new StaffDirectory(this.manager).departmentPathsOf(missing);
    for (const s of missing) this.resources.set(s, this.buildResource(s, paths.then((p) => p.get(s) ?? [])));
  }

  async mayRoom(action: Action, roomId: string): Promise<boolean> {
    let staffOfRoom = this.roomStaffCache.get(roomId);
    if (!staffOfRoom) {
      staffOfRoom = this.roomStaff([roomId]).then((m) => m.get(roomId) ?? []);
      this.roomStaffCache.set(roomId, staffOfRoom);
    }
    const staff = await staffOfRoom;
    return mayAccessRoom(this.actor, action, await Promise.all(staff.map((s) => this.resource(s))));
  }

  async room(action: Action, roomId: string): Promise<void> {
    if (!(await this.mayRoom(action, roomId))) throw new AuthorizationError("没有权限查看该群聊");
  }

  private resource(staffUserid: string): Promise<ConversationResource> {
    let r = this.resources.get(staffUserid);
    if (!r) {
      r = this.buildResource(staffUserid, new StaffDirectory(this.manager).departmentPaths(staffUserid));
      this.resources.set(staffUserid, r);
    }
    return r;
  }

  private async buildResource(staffUserid: string, paths: Promise<number[][]>): Promise<ConversationResource> {
    const departmentPaths = await paths;
    const handed = (await this.handed()).get(staffUserid);
    return {
      kind: "conversation" as const,
      staffUserid,
      departmentPaths,
      inheritedBy: handed ? [{ successorUserid: this.actor.userid, externalUserIds: handed }] : [],
    };
  }

  /** Threads handed to the actor (记录继承), looked up once per request: the reader's scope and every hit's check share it. */
  inheritedThreads(): Promise<InheritedThreads[]> {
    this.inheritedRows ??= this.inheritedBy(this.manager, this.actor.userid);
    return this.inheritedRows;
  }

  /** Only the actor's own inheritance matters for the actor's access. */
  private handed(): Promise<Map<string, string[]>> {
    this.handedToActor ??= this.inheritedThreads().then((rows) => new Map(rows.map((r) => [r.predecessor, r.externalUserIds])));
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
