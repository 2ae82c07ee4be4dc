import { mpPageUrl } from "../../../pagePaths";
import { api } from "../../../services/client";
import type { CaseSummary, Earliest } from "../../../services/types";
import { fieldErrorsOf, messageOf } from "../../../utils/feedback";
import { formatDay } from "../../../utils/format";
import { MAX_HANDOVER_NOTES, MAX_REASON_TEXT, REASON_CATEGORIES, validateStartForm } from "./validate";

Component({
  data: {
    loading: true,
    submitting: false,
    pageError: "",
    errors: {} as Record<string, string>,
    openCase: null as CaseSummary | null,
    earliest: null as Earliest | null,
    earliestText: "",
    categoryLabels: REASON_CATEGORIES.map((c) => c.label),
    categoryIndex: -1,
    reasonText: "",
    requestedLastDay: "",
    handoverNotes: "",
    maxReason: MAX_REASON_TEXT,
    maxNotes: MAX_HANDOVER_NOTES,
    confirming: false,
    requestedLastDayText: "",
    // WeUI's mp-dialog buttons: the first is drawn as the quiet one, the last as the primary.
    confirmButtons: [{ text: "再想想" }, { text: "确认提交" }],
  },

  methods: {
    onLoad() {
      return this.load();
    },

    async load() {
      this.setData({ loading: true, pageError: "" });
      try {
        const overview = await api.getOverview();
        this.setData({
          openCase: overview.case,
          earliest: overview.earliest,
          earliestText: formatDay(overview.earliest.lastDay),
          // Start from the earliest lawful day; the person can pick a later one.
          requestedLastDay: this.data.requestedLastDay || overview.earliest.lastDay,
        });
      } catch (err) {
        this.setData({ pageError: messageOf(err) });
      } finally {
        this.setData({ loading: false });
      }
    },

    onCategoryChange(e: WechatMiniprogram.PickerChange) {
      this.setData({ categoryIndex: Number(e.detail.value), "errors.reasonCategory": "" });
    },
    onReasonInput(e: WechatMiniprogram.Input) {
      this.setData({ reasonText: e.detail.value, "errors.reasonText": "" });
    },
    onDateChange(e: WechatMiniprogram.PickerChange) {
      this.setData({ requestedLastDay: String(e.detail.value), "errors.requestedLastDay": "" });
    },
    onNotesInput(e: WechatMiniprogram.Input) {
      this.setData({ handoverNotes: e.detail.value, "errors.handoverNotes": "" });
    },

    goProgress() {
      wx.redirectTo({ url: mpPageUrl("progress") });
    },

    /** Checks the form, then asks once (WeUI dialog) before anything is sent. */
    submit() {
      if (this.data.submitting || !this.data.earliest) return;
      const errors = validateStartForm(this.data, this.data.earliest.lastDay);
      if (Object.keys(errors).length) return this.setData({ errors, pageError: "" });
      this.setData({ errors: {}, pageError: "", confirming: true, requestedLastDayText: formatDay(this.data.requestedLastDay) });
    },

    onConfirmTap(e: WechatMiniprogram.CustomEvent<{ index: number }>) {
      this.setData({ confirming: false });
      return e.detail.index === 1 ? this.send() : undefined;
    },

    async send() {
      if (this.data.submitting) return;
      this.setData({ submitting: true });
      try {
        const created = await api.startResignation({
          reasonCategory: REASON_CATEGORIES[this.data.categoryIndex]!.value,
          reasonText: this.data.reasonText.trim(),
          requestedLastDay: this.data.requestedLastDay,
          handoverNotes: this.data.handoverNotes.trim(),
        });
        wx.redirectTo({ url: mpPageUrl("sign", { id: created.id }) });
      } catch (err) {
        // 409: a case was opened meanwhile (e.g. from another device); show it instead of the form.
        if ((err as { status?: number }).status === 409) await this.load();
        this.setData({ errors: fieldErrorsOf(err), pageError: messageOf(err) });
      } finally {
        this.setData({ submitting: false });
      }
    },
  },
});
