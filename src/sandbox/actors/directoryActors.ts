import type { CallbackDelivery } from "../callbacks/deliverer";
import { changeContact } from "../callbacks/events";
import type { SandboxCore } from "../core";
import type { User } from "../state/types";

/** Directory changes made in the admin console, announced with change_contact. */
export function directoryActors(core: SandboxCore) {
  const { state, clock, callbacks } = core;

  function existing(userid: string): User {
    const user = state.users.get(userid);
    if (!user) throw new Error(`sandbox: unknown member ${userid}`);
    return user;
  }

  return {
    /**
     * A member is added in the admin console. The 新增成员事件 carries only UserID and Department: "对于2022年8月15号后
     * 通讯录助手新配置或修改的回调url，成员属性只回调UserID/Department两个字段" (developer.work.weixin.qq.com
     * document/path/90970 成员变更通知; the same note on path/96302 for 代开发 apps). Name, position and the rest
     * are read with user/get.
     */
    memberJoins(input: Partial<User> & Pick<User, "userid">): Promise<CallbackDelivery> {
      state.seed({ users: [input] });
      const user = existing(input.userid);
      return callbacks.send(changeContact("create_user", { userid: user.userid, departments: user.departments }));
    },

    memberUpdated(userid: string, changes: Partial<Pick<User, "name" | "position" | "departments" | "mainDepartment">>): Promise<CallbackDelivery> {
      const user = Object.assign(existing(userid), changes);
      return callbacks.send(changeContact("update_user", { userid, ...changes, status: user.status }));
    },

    /** The member leaves: status 5 from now on; customers stay attached until transferred. */
    memberLeaves(userid: string): Promise<CallbackDelivery> {
      const user = existing(userid);
      user.status = 5;
      user.leftAt = clock.now();
      return callbacks.send(changeContact("delete_user", user));
    },
  };
}
