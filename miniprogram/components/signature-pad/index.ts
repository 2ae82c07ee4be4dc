/**
 * Hand-written signature on a 2D canvas. The parent reads it with
 * `selectComponent('#signature').toDataURL()` and listens to `bind:change`
 * ({ empty }) to know whether anything was drawn.
 */

type Ctx2D = WechatMiniprogram.CanvasRenderingContext.CanvasRenderingContext2D;

interface Point {
  x: number;
  y: number;
}

interface PadState {
  canvas: WechatMiniprogram.Canvas | null;
  ctx: Ctx2D | null;
  last: Point | null;
}

// Higher ratios make the PNG grow quickly with no visible gain for a signature (server cap: 300 KB).
const MAX_PIXEL_RATIO = 2;

function touchPoint(e: WechatMiniprogram.TouchCanvas | WechatMiniprogram.TouchEvent): Point | null {
  const t = e.touches[0] as unknown as { x?: number; y?: number; clientX?: number; clientY?: number } | undefined;
  if (!t) return null;
  return { x: t.x ?? t.clientX ?? 0, y: t.y ?? t.clientY ?? 0 };
}

Component({
  data: { empty: true },

  lifetimes: {
    created() {
      (this as unknown as { pad: PadState }).pad = { canvas: null, ctx: null, last: null };
    },
  },

  methods: {
    state(): PadState {
      return (this as unknown as { pad: PadState }).pad;
    },

    /** The canvas is looked up lazily: inside wx:if blocks it may not be laid out at `ready`. */
    canvas(): Promise<{ canvas: WechatMiniprogram.Canvas; ctx: Ctx2D }> {
      const state = this.state();
      if (state.canvas && state.ctx) return Promise.resolve({ canvas: state.canvas, ctx: state.ctx });
      return new Promise((resolve, reject) => {
        this.createSelectorQuery()
          .select("#pad")
          .fields({ node: true, size: true })
          .exec((res: Array<{ node?: WechatMiniprogram.Canvas; width?: number; height?: number } | null>) => {
            const found = res[0];
            if (!found || !found.node) return reject(new Error("signature canvas not found"));
            const canvas = found.node;
            const ratio = Math.min(wx.getWindowInfo().pixelRatio || 1, MAX_PIXEL_RATIO);
            canvas.width = (found.width ?? 300) * ratio;
            canvas.height = (found.height ?? 180) * ratio;
            const ctx = canvas.getContext("2d");
            ctx.scale(ratio, ratio);
            ctx.lineWidth = 3;
            ctx.lineCap = "round";
            ctx.lineJoin = "round";
            ctx.strokeStyle = "#1f2329";
            state.canvas = canvas;
            state.ctx = ctx;
            resolve({ canvas, ctx });
          });
      });
    },

    onTouchStart(e: WechatMiniprogram.TouchCanvas) {
      const p = touchPoint(e);
      this.canvas()
        .then(() => {
          this.state().last = p;
        })
        .catch(() => undefined);
    },

    onTouchMove(e: WechatMiniprogram.TouchCanvas) {
      const state = this.state();
      const p = touchPoint(e);
      if (!state.ctx || !state.last || !p) return;
      state.ctx.beginPath();
      state.ctx.moveTo(state.last.x, state.last.y);
      state.ctx.lineTo(p.x, p.y);
      state.ctx.stroke();
      state.last = p;
      if (this.data.empty) {
        this.setData({ empty: false });
        this.triggerEvent("change", { empty: false });
      }
    },

    onTouchEnd() {
      this.state().last = null;
    },

    clear() {
      const { canvas, ctx } = this.state();
      if (canvas && ctx) ctx.clearRect(0, 0, canvas.width, canvas.height);
      this.setData({ empty: true });
      this.triggerEvent("change", { empty: true });
    },

    isEmpty(): boolean {
      return this.data.empty;
    },

    /** PNG data URL of the signature (rejects when nothing was drawn). */
    async toDataURL(): Promise<string> {
      if (this.data.empty) throw new Error("signature is empty");
      const { canvas } = await this.canvas();
      return canvas.toDataURL("image/png", 1);
    },
  },
});
