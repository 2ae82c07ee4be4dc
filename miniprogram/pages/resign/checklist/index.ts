import { api } from "../../../services/client";
import type { Checklist, ChecklistItem, ChecklistOwner, ChecklistRole, SignatureInput } from "../../../services/types";
import { fieldErrorsOf, messageOf, toastSuccess } from "../../../utils/feedback";
import { formatInstant } from "../../../utils/format";

const OWNER_LABEL: Record<ChecklistOwner, string> = { leaver: "离职人", receiver: "接收人", hr: "人事", it: "IT", supervisor: "监交人" };
const ROLE_LABEL: Record<ChecklistRole, string> = { handover: "移交人", receiver: "接收人", supervisor: "监交人" };
// The signing role and the item owner name the same person differently.
const OWNER_OF_ROLE: Record<ChecklistRole, ChecklistOwner> = { handover: "leaver", receiver: "receiver", supervisor: "supervisor" };

function itemView(item: ChecklistItem, myRole: ChecklistRole | null) {
  return {
    ...item,
    ownerLabel: OWNER_LABEL[item.owner] ?? item.owner,
    mine: myRole !== null && item.owner === OWNER_OF_ROLE[myRole] && !item.auto && !item.done,
    doneText: item.done ? `已完成${item.doneAt ? ` ${formatInstant(item.doneAt)}` : ""}${item.verifiedBy ? `，${item.verifiedBy}核对` : ""}` : "",
  };
}

Component({
  data: {
    caseId: "",
    loading: true,
    submitting: false,
    pageError: "",
    errors: {} as Record<string, string>,
    checklist: null as Checklist | null,
    items: [] as ReturnType<typeof itemView>[],
    doneCount: 0,
    signatures: [] as Array<Checklist["signatures"][number] & { signedAtText: string }>,
    canSign: false,
    myRoleLabel: "",
  },

  methods: {
    onLoad(query: Record<string, string | undefined>) {
      this.setData({ caseId: query.id ?? "" });
      return this.load();
    },

    async onPullDownRefresh() {
      await this.load();
      wx.stopPullDownRefresh();
    },

    show(checklist: Checklist) {
      const { myRole } = checklist;
      this.setData({
        checklist,
        items: checklist.items.map((i) => itemView(i, myRole)),
        doneCount: checklist.items.filter((i) => i.done).length,
        signatures: checklist.signatures.map((s) => ({ ...s, signedAtText: formatInstant(s.signedAt) })),
        canSign: myRole !== null && !checklist.signatures.some((s) => s.role === myRole),
        myRoleLabel: myRole ? ROLE_LABEL[myRole] : "",
      });
    },

    async load() {
      this.setData({ loading: !this.data.checklist, pageError: "" });
      try {
        this.show(await api.getChecklist(this.data.caseId));
      } catch (err) {
        this.setData({ pageError: messageOf(err) });
      } finally {
        this.setData({ loading: false });
      }
    },

    async markDone(e: WechatMiniprogram.TouchEvent) {
      const itemId = String(e.currentTarget.dataset.id ?? "");
      if (!itemId) return;
      this.setData({ pageError: "" });
      try {
        this.show(await api.markChecklistItemDone(this.data.caseId, itemId));
        toastSuccess("已标记完成");
      } catch (err) {
        this.setData({ pageError: messageOf(err) });
      }
    },

    async onSign(e: WechatMiniprogram.CustomEvent<SignatureInput>) {
      if (this.data.submitting) return;
      this.setData({ submitting: true, errors: {}, pageError: "" });
      try {
        this.show(await api.signChecklist(this.data.caseId, e.detail));
        toastSuccess("签字完成");
      } catch (err) {
        this.setData({ errors: fieldErrorsOf(err), pageError: messageOf(err) });
      } finally {
        this.setData({ submitting: false });
      }
    },
  },
});
