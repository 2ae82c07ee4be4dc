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
    /** The album permission was refused: the page offers WeChat's settings (a tap on an open-type button) and saves again. */
    albumDenied: false,
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

    /** Back from WeChat's settings page (button open-type="openSetting"): save again once the album is allowed. */
    onSettingDone(e: { detail: { authSetting?: Record<string, boolean> } }) {
      if (e.detail.authSetting?.["scope.writePhotosAlbum"]) {
        this.setData({ albumDenied: false, pageError: "" });
        this.saveImage();
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
      this.setData({ saving: true, pageError: "", albumDenied: false });
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
                fail: (err) => {
                  // "saveImageToPhotosAlbum:fail cancel": the person changed their mind — nothing to report.
                  if (/cancel/.test(err.errMsg)) return done();
                  // "fail auth deny" / "fail authorize no response": the album permission (scope.writePhotosAlbum) was
                  // refused once, and WeChat will not ask again: only its settings page can grant it now.
                  if (/auth/.test(err.errMsg)) {
                    done("保存到相册需要“添加到相册”权限。请点「去设置」打开后再保存，或先使用「复制全文」");
                    return this.setData({ albumDenied: true });
                  }
                  done("没有保存到相册，请稍后再试，或先使用「复制全文」");
                },
              }),
            fail: () => done("图片生成失败，可以先使用「复制全文」"),
          });
        });
    },
  },
});
