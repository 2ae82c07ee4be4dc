import type { EntityManager } from "typeorm";
import type { ContactEvent } from "../../wecom";
import { currentUserid, removeDepartment, renameStaff, writeDepartment, writeStaff, type StaffFields } from "./mirrorWrites";
import type { StaffRenames } from "./staffRenames";
import { StaffStatus } from "./staffStatus";

const optionalNumber = (v: string | undefined): number | undefined => (v === undefined || v === "" ? undefined : Number(v));

/**
 * Keep the directory current between full syncs, whatever order WeCom's change_contact events arrive in
 * and however often (developer.work.weixin.qq.com/document/path/90970 成员变更通知, path/90971 部门变更通知).
 * update_user carries only the fields that changed, so absent fields keep their stored value; every field
 * is replaced only by a value at least as new (mirrorWrites.ts); a member's userid can change
 * (NewUserID), and a late event for the old userid still reaches the member.
 */
export async function applyContactEvent(manager: EntityManager, event: ContactEvent, renames?: StaffRenames): Promise<void> {
  const at = new Date(event.createTime * 1000);
  switch (event.changeType) {
    case "create_user":
    case "update_user": {
      let userid = await currentUserid(manager, event.userId, at);
      if (event.changeType === "update_user" && event.newUserId && event.newUserId !== event.userId) {
        // A redelivered rename resolves to the new userid already: nothing to move.
        if (userid !== event.newUserId) {
          await renameStaff(manager, userid, event.newUserId, at);
          // Every capability's own rows follow, to the id the member holds now (a later rename may have come first).
          await renames?.apply(manager, userid, await currentUserid(manager, event.newUserId, at));
        }
        userid = event.newUserId;
      }
      const fields: StaffFields = {
        name: event.name || undefined,
        departmentIds: event.department.length > 0 ? event.department.map(Number) : undefined,
        mainDepartment: optionalNumber(event.mainDepartment),
        position: event.position,
        status: optionalNumber(event.status),
      };
      await writeStaff(manager, userid, fields, at);
      return;
    }
    case "delete_user": {
      // A deleted member is a leaver: status 5 here, absent from WeCom's lists (60111) from now on.
      const userid = await currentUserid(manager, event.userId, at);
      const [known]: unknown[] = await manager.query(`SELECT 1 FROM staff WHERE userid = $1`, [userid]);
      if (known) await writeStaff(manager, userid, { status: StaffStatus.left }, at);
      return;
    }
    case "create_party":
    case "update_party": {
      const parent = optionalNumber(event.parentId);
      await writeDepartment(
        manager,
        Number(event.partyId),
        { name: event.name || undefined, parentId: parent === undefined ? undefined : parent === 0 ? null : parent, order: optionalNumber(event.order) },
        at,
      );
      return;
    }
    case "delete_party":
      await removeDepartment(manager, Number(event.partyId), at);
      return;
  }
}
