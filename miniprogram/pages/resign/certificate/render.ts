/** Lays the certificate text out on a 2D canvas so it can be saved to the photo album. */

type Ctx2D = WechatMiniprogram.CanvasRenderingContext.CanvasRenderingContext2D;

export const IMAGE_WIDTH = 750;
const MARGIN = 60;
const LINE_HEIGHT = 44;
const FONT = '28px "PingFang SC", "Microsoft YaHei", sans-serif';

/** Wraps each paragraph by measured width; Chinese has no spaces, so it breaks per character. */
export function wrapLines(ctx: Pick<Ctx2D, "measureText">, text: string, maxWidth: number): string[] {
  const lines: string[] = [];
  for (const paragraph of text.split("\n")) {
    let line = "";
    for (const ch of Array.from(paragraph)) {
      if (line && ctx.measureText(line + ch).width > maxWidth) {
        lines.push(line);
        line = "";
      }
      line += ch;
    }
    lines.push(line);
  }
  return lines;
}

export function drawCertificate(canvas: WechatMiniprogram.Canvas, title: string, text: string, footer: string): void {
  const ctx = canvas.getContext("2d");
  ctx.font = FONT;
  const lines = [title, "", ...wrapLines(ctx, text, IMAGE_WIDTH - 2 * MARGIN), "", ...wrapLines(ctx, footer, IMAGE_WIDTH - 2 * MARGIN)];
  canvas.width = IMAGE_WIDTH;
  canvas.height = MARGIN * 2 + lines.length * LINE_HEIGHT;
  // Resizing resets the context state.
  ctx.fillStyle = "#ffffff";
  ctx.fillRect(0, 0, canvas.width, canvas.height);
  ctx.fillStyle = "#1f2329";
  ctx.font = FONT;
  ctx.textBaseline = "top";
  // The heading centred and bold, as on the printed certificate; the body left-aligned below it.
  ctx.font = `bold ${FONT}`;
  ctx.textAlign = "center";
  ctx.fillText(title, IMAGE_WIDTH / 2, MARGIN);
  ctx.font = FONT;
  ctx.textAlign = "left";
  lines.forEach((line, i) => i > 0 && ctx.fillText(line, MARGIN, MARGIN + i * LINE_HEIGHT));
}
