import { mpPageUrl } from "../../../pagePaths";
import { api } from "../../../services/client";
import { messageOf } from "../../../utils/feedback";
import { settlementPageView, type SettlementPageView } from "./view";

/**
 * 离职结算单: what the school owes the leaver and when — final wages on the
 * last day whatever the handover, unused leave at 200%, compensation when
 * owed (with how it was computed and the statute), the personnel file and
 * social insurance within 15 days. Read-only: HR enters the figures.
 */
Component({
  data: {
    caseId: "",
    loading: true,
    pageError: "",
    view: null as SettlementPageView | null,
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

    async load() {
      this.setData({ loading: !this.data.view, pageError: "" });
      try {
        this.setData({ view: settlementPageView(await api.getSettlement(this.data.caseId)) });
      } catch (err) {
        this.setData({ pageError: messageOf(err) });
      } finally {
        this.setData({ loading: false });
      }
    },

    goProgress() {
      wx.redirectTo({ url: mpPageUrl("progress", { id: this.data.caseId }) });
    },
  },
});
