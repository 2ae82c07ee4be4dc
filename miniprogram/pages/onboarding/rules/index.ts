import { api } from "../../../services/client";
import type { SignatureInput, WorkRules } from "../../../services/types";
import { fieldErrorsOf, messageOf, toastSuccess } from "../../../utils/feedback";
import { formatInstant, shortHash } from "../../../utils/format";
import { deviceInfo } from "../../../utils/signature";

/**
 * The work-account rules a new member signs (opened from the bot's notice on joining): the same signature
 * form and evidence as the resignation notice; the text signed is the one shown (its fingerprint goes with it).
 */
Component({
  data: {
    loading: true,
    submitting: false,
    pageError: "",
    errors: {} as Record<string, string>,
    rules: null as WorkRules | null,
    rulesHash: "",
    signedAtText: "",
  },

  methods: {
    onLoad() {
      return this.load();
    },

    show(rules: WorkRules) {
      this.setData({ rules, rulesHash: shortHash(rules.sha256), signedAtText: rules.signed ? formatInstant(rules.signed.signedAt) : "" });
    },

    async load() {
      this.setData({ loading: true, pageError: "" });
      try {
        this.show(await api.getWorkRules());
      } catch (err) {
        this.setData({ pageError: messageOf(err) });
      } finally {
        this.setData({ loading: false });
      }
    },

    async onSubmit(e: WechatMiniprogram.CustomEvent<SignatureInput>) {
      if (this.data.submitting || !this.data.rules) return;
      this.setData({ submitting: true, errors: {}, pageError: "" });
      try {
        this.show(await api.signWorkRules({ ...e.detail, device: deviceInfo(), documentSha256: this.data.rules.sha256 }));
        toastSuccess("签署完成");
      } catch (err) {
        this.setData({ errors: fieldErrorsOf(err), pageError: messageOf(err) });
        // 409: signed meanwhile, or the text changed — show what the server holds now.
        if ((err as { status?: number }).status === 409) this.show(await api.getWorkRules().catch(() => this.data.rules!));
      } finally {
        this.setData({ submitting: false });
      }
    },
  },
});
