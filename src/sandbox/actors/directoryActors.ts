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
    memberJoins(input: Partial<User> & Pick<User, "userid">): Promise<CallbackDelivery> {
      state.seed({ users: [input] });
      return callbacks.send(changeContact("create_user", existing(input.userid)));
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
