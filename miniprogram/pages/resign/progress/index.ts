import { mpPageUrl } from "../../../pagePaths";
import { api } from "../../../services/client";
import type { Approval, Case, TimelineEntry } from "../../../services/types";
import { deadlineBanner, type DeadlineBanner } from "../../../utils/deadline";
import { messageOf, toastSuccess } from "../../../utils/feedback";
import { formatDay, formatInstant } from "../../../utils/format";

const DECISION_TEXT: Record<Approval["decision"], string> = { pending: "待处理", approved: "已同意", rejected: "未同意" };

function approvalView(a: Approval) {
  const text = DECISION_TEXT[a.decision] ?? a.decision;
  return { ...a, decisionText: a.decidedAt ? `${text} · ${formatInstant(a.decidedAt)}` : text };
}

function timelineView(entries: TimelineEntry[]) {
  // Newest first: the latest step is what the person is looking for.
  return [...entries].sort((a, b) => (a.at < b.at ? 1 : -1)).map((t) => ({ ...t, atText: formatInstant(t.at) }));
}

Component({
  data: {
    caseId: "",
    loading: true,
    withdrawing: false,
    pageError: "",
    noCase: false,
    theCase: null as Case | null,
    lastDayText: "",
    noticeDateText: "",
    approvals: [] as ReturnType<typeof approvalView>[],
    timeline: [] as ReturnType<typeof timelineView>,
    deadline: null as DeadlineBanner | null,
    /** The settlement statement exists for every case that is going ahead (not for a withdrawn one). */
    showSettlement: false,
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

    show(c: Case) {
      this.setData({
        caseId: c.id,
        theCase: c,
        noCase: false,
        lastDayText: formatDay(c.lastDay || c.requestedLastDay),
        noticeDateText: formatDay(c.noticeDate),
        approvals: c.approvals.map(approvalView),
        timeline: timelineView(c.timeline),
        deadline: deadlineBanner(c.noticeDeadline, c.noticeSigned),
        showSettlement: c.status !== "withdrawn" && c.status !== "draft",
      });
    },

    async load() {
      this.setData({ loading: !this.data.theCase, pageError: "" });
      try {
        let caseId = this.data.caseId;
        if (!caseId) {
          const overview = await api.getOverview();
          if (!overview.case) return this.setData({ noCase: true, theCase: null });
          caseId = overview.case.id;
        }
        this.show(await api.getCase(caseId));
      } catch (err) {
        this.setData({ pageError: messageOf(err) });
      } finally {
        this.setData({ loading: false });
      }
    },

    withdraw() {
      if (this.data.withdrawing) return;
      wx.showModal({
        title: "撤回离职申请",
        content: "撤回后本次申请结束，之后仍可重新提出。",
        editable: true,
        placeholderText: "可以写下撤回原因（选填）",
        confirmText: "确认撤回",
        cancelText: "再想想",
        success: async (res) => {
          if (!res.confirm) return;
          this.setData({ withdrawing: true, pageError: "" });
          try {
            this.show(await api.withdraw(this.data.caseId, (res.content ?? "").trim() || "本人撤回"));
            toastSuccess("已撤回");
          } catch (err) {
            this.setData({ pageError: messageOf(err) });
            // 409: no longer possible — refresh so the button disappears.
            if ((err as { status?: number }).status === 409) await this.load().then(() => this.setData({ pageError: messageOf(err) }));
          } finally {
            this.setData({ withdrawing: false });
          }
        },
      });
    },

    goStart() {
      wx.navigateTo({ url: mpPageUrl("start") });
    },
    goSign() {
      wx.navigateTo({ url: mpPageUrl("sign", { id: this.data.caseId }) });
    },
    goChecklist() {
      wx.navigateTo({ url: mpPageUrl("checklist", { id: this.data.caseId }) });
    },
    goSettlement() {
      wx.navigateTo({ url: mpPageUrl("settlement", { id: this.data.caseId }) });
    },
    goCertificate() {
      wx.navigateTo({ url: mpPageUrl("certificate", { id: this.data.caseId }) });
    },
  },
});
