/** A parent as WeCom's externalcontact/get or batch/get_by_user describes it (the fields we keep). */
export interface ExternalContactProfile {
  external_userid: string;
  name: string;
  type?: number;
  corp_name?: string;
}

/** One teacher's view of a parent (follow_user / follow_info). */
export interface FollowInfo {
  userid: string;
  remark?: string;
  description?: string;
  createtime?: number;
  tags?: { group_name?: string; tag_name?: string; tag_id?: string; type?: number }[];
  tag_id?: string[];
  add_way?: number;
  oper_userid?: string;
  state?: string;
}

/** What changed between a teacher and a parent, from change_external_contact. */
export type FollowChange =
  | { kind: "added_or_edited"; profile: ExternalContactProfile; follow: FollowInfo }
  | { kind: "deleted_by_staff"; staffUserid: string; externalUserid: string; byTransfer: boolean }
  | { kind: "deleted_by_parent"; staffUserid: string; externalUserid: string };
