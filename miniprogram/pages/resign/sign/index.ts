import { mpPageUrl } from "../../../pagePaths";
import { api } from "../../../services/client";
import type { Notice, NoticeDeadlineView, SignatureInput } from "../../../services/types";
import { deadlineBanner, type DeadlineBanner } from "../../../utils/deadline";
import { fieldErrorsOf, messageOf, toastSuccess } from "../../../utils/feedback";
import { formatInstant, shortHash } from "../../../utils/format";
import { deviceInfo } from "../../../utils/signature";

Component({
  data: {
    caseId: "",
    loading: true,
    submitting: false,
    pageError: "",
    errors: {} as Record<string, string>,
    notice: null as Notice | null,
    noticeHash: "",
    signedAtText: "",
    noticeDeadline: null as NoticeDeadlineView | null,
    deadline: null as DeadlineBanner | null,
  },

  methods: {
    onLoad(query: Record<string, string | undefined>) {
      this.setData({ caseId: query.id ?? "" });
      return this.load();
    },

    show(notice: Notice) {
      this.setData({
        notice,
        noticeHash: shortHash(notice.sha256),
        signedAtText: notice.signed ? formatInstant(notice.signed.signedAt) : "",
        deadline: deadlineBanner(this.data.noticeDeadline, notice.signed !== null),
      });
    },

    async load() {
      this.setData({ loading: true, pageError: "" });
      try {
        // The deadline is the case's; without it the notice can still be signed, so its failure only hides the banner.
        const [notice, theCase] = await Promise.all([api.getNotice(this.data.caseId), api.getCase(this.data.caseId).catch(() => null)]);
        this.setData({ noticeDeadline: theCase?.noticeDeadline ?? null });
        this.show(notice);
      } catch (err) {
        this.setData({ pageError: messageOf(err) });
      } finally {
        this.setData({ loading: false });
      }
    },

    async onSubmit(e: WechatMiniprogram.CustomEvent<SignatureInput>) {
      if (this.data.submitting) return;
      this.setData({ submitting: true, errors: {}, pageError: "" });
      try {
        this.show(await api.signNotice(this.data.caseId, { ...e.detail, device: deviceInfo() }));
        toastSuccess("签署完成");
      } catch (err) {
        this.setData({ errors: fieldErrorsOf(err), pageError: messageOf(err) });
        // 409: already signed (e.g. a double tap or another device) — show the signed document.
        if ((err as { status?: number }).status === 409) this.show(await api.getNotice(this.data.caseId).catch(() => this.data.notice!));
      } finally {
        this.setData({ submitting: false });
      }
    },

    goProgress() {
      wx.redirectTo({ url: mpPageUrl("progress", { id: this.data.caseId }) });
    },
  },
});
