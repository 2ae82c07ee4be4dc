import type { EntityManager } from "typeorm";

/** Moves one capability's own rows from a member's old userid to the new one, inside the rename's transaction. */
export type StaffRenameHook = (manager: EntityManager, from: string, to: string) => Promise<void>;

/**
 * A userid rename (change_contact update_user with NewUserID, Tencent path/90970) reaches every table keyed
 * by userid through the capability that owns it: each capability registers a hook that updates its own
 * tables, and the directory runs them all in the transaction that renames the member. Records of who did
 * something (granted_by, decided_by, signatures, dossier entries, access logs) keep the id of the time;
 * staff_userid_rename resolves them.
 */
export class StaffRenames {
  private readonly hooks: Array<{ capability: string; hook: StaffRenameHook }> = [];

  register(capability: string, hook: StaffRenameHook): void {
    this.hooks.push({ capability, hook });
  }

  async apply(manager: EntityManager, from: string, to: string): Promise<void> {
    for (const { hook } of this.hooks) await hook(manager, from, to);
  }

  get capabilities(): string[] {
    return this.hooks.map((h) => h.capability);
  }
}
