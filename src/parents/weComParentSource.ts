import type { WeComClient } from "../wecom";
import type { ParentDirectorySource, ParentPage } from "./resyncParents";

/** The resync port over externalcontact/batch/get_by_user. */
export class WeComParentSource implements ParentDirectorySource {
  constructor(private readonly client: WeComClient) {}

  async batchGetByUser(userids: string[], cursor: string, limit: number): Promise<ParentPage> {
    const page = await this.client.externalContact.batchGetByUser({ userid_list: userids, cursor, limit });
    return { external_contact_list: page.external_contact_list, next_cursor: page.next_cursor };
  }
}
