import { MAX_SIGNATURE_BYTES, dataUrlBytes, validateSignatureForm } from "../../utils/signature";

/**
 * Hand-written signature + typed name + explicit confirmation, shared by the
 * notice and the handover checklist. Validates locally, then emits
 * `submit` with { typedName, signatureImage, confirm: true }; the page calls the API
 * and passes server field messages back through `serverErrors`.
 */
Component({
  properties: {
    confirmText: { type: String, value: "我已阅读并确认以上内容，自愿签署" },
    submitText: { type: String, value: "确认签署" },
    busy: { type: Boolean, value: false },
    serverErrors: { type: Object, value: {} },
  },

  data: {
    typedName: "",
    confirmed: false,
    hasInk: false,
    errors: {} as Record<string, string>,
  },

  observers: {
    serverErrors(errors: Record<string, string>) {
      this.setData({ errors: { ...(errors ?? {}) } });
    },
  },

  methods: {
    onNameInput(e: WechatMiniprogram.Input) {
      this.setData({ typedName: e.detail.value, "errors.typedName": "" });
    },

    onConfirmChange(e: WechatMiniprogram.CheckboxGroupChange) {
      this.setData({ confirmed: e.detail.value.includes("yes"), "errors.confirm": "" });
    },

    onPadChange(e: WechatMiniprogram.CustomEvent<{ empty: boolean }>) {
      this.setData({ hasInk: !e.detail.empty, "errors.signatureImage": "" });
    },

    async submit() {
      if (this.data.busy) return;
      const errors = validateSignatureForm(this.data);
      if (Object.keys(errors).length) return this.setData({ errors });
      const pad = this.selectComponent("#signature") as unknown as { toDataURL(): Promise<string> };
      let signatureImage: string;
      try {
        signatureImage = await pad.toDataURL();
      } catch {
        return this.setData({ errors: { signatureImage: "签名没有保存成功，请点「重写」后再签一次" } });
      }
      if (dataUrlBytes(signatureImage) > MAX_SIGNATURE_BYTES) {
        return this.setData({ errors: { signatureImage: "签名图片过大，请点「重写」后简洁地签一次" } });
      }
      this.triggerEvent("submit", { typedName: this.data.typedName.trim(), signatureImage, confirm: true });
    },
  },
});
