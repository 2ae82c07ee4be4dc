import { api } from "../../../services/client";
import type { Certificate } from "../../../services/types";
import { messageOf, toastSuccess } from "../../../utils/feedback";
import { drawCertificate } from "./render";

Component({
  data: {
    caseId: "",
    loading: true,
    saving: false,
    pageError: "",
    notIssued: false,
    certificate: null as Certificate | null,
  },

  methods: {
    onLoad(query: Record<string, string | undefined>) {
      this.setData({ caseId: query.id ?? "" });
      return this.load();
    },

    async load() {
      this.setData({ loading: true, pageError: "", notIssued: false });
      try {
        this.setData({ certificate: await api.getCertificate(this.data.caseId) });
      } catch (err) {
        if ((err as { status?: number }).status === 404) this.setData({ notIssued: true });
        else this.setData({ pageError: messageOf(err) });
      } finally {
        this.setData({ loading: false });
      }
    },

    copyText() {
      const cert = this.data.certificate;
      if (!cert) return;
      wx.setClipboardData({ data: `${cert.title}\n\n${cert.text}\n\n文书指纹（SHA-256）：${cert.sha256}` });
    },

    saveImage() {
      const cert = this.data.certificate;
      if (!cert || this.data.saving) return;
      this.setData({ saving: true, pageError: "" });
      const done = (error?: string) => this.setData({ saving: false, pageError: error ?? "" });
      this.createSelectorQuery()
        .select("#certificate-canvas")
        .fields({ node: true, size: true })
        .exec((res: Array<{ node?: WechatMiniprogram.Canvas } | null>) => {
          const canvas = res[0]?.node;
          if (!canvas) return done("图片生成失败，可以先使用「复制全文」");
          drawCertificate(canvas, cert.title, cert.text, `文书指纹（SHA-256）：${cert.sha256}`);
          wx.canvasToTempFilePath({
            canvas,
            fileType: "png",
            success: ({ tempFilePath }) =>
              wx.saveImageToPhotosAlbum({
                filePath: tempFilePath,
                success: () => {
                  done();
                  toastSuccess("已保存到相册");
                },
                fail: () => done("没有保存到相册。如需保存，请在设置中允许访问相册后再试"),
              }),
            fail: () => done("图片生成失败，可以先使用「复制全文」"),
          });
        });
    },
  },
});
