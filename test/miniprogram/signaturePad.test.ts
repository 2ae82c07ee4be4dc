/** @jest-environment jsdom */
import { flush, render } from "./support/simulate";
import { fakeCanvas, installWx, provideCanvas } from "./support/wxStub";

describe("signature pad component", () => {
  beforeEach(() => installWx(() => ({ statusCode: 404, data: {} })));

  it("draws strokes from touches, reports change, exports a PNG and clears", async () => {
    const pad = render("components/signature-pad/index");
    const canvas = fakeCanvas();
    provideCanvas(pad.instance, canvas);
    const changes: boolean[] = [];
    pad.addEventListener("change", (e: any) => changes.push(e.detail.empty));
    expect(pad.dom.innerHTML).toContain("请在此处手写签名");
    await expect(pad.instance.toDataURL()).rejects.toThrow("empty");

    const area = pad.querySelector("#pad");
    area.dispatchEvent("touchstart", { touches: [{ x: 10, y: 10 }] });
    await flush();
    area.dispatchEvent("touchmove", { touches: [{ x: 40, y: 30 }] });
    area.dispatchEvent("touchend");
    await flush();

    expect(canvas.width).toBe(600); // 300 css px × capped ratio 2
    expect(canvas.ctx.moveTo).toHaveBeenCalledWith(10, 10);
    expect(canvas.ctx.lineTo).toHaveBeenCalledWith(40, 30);
    expect(pad.dom.innerHTML).not.toContain("请在此处手写签名");
    await expect(pad.instance.toDataURL()).resolves.toMatch(/^data:image\/png;base64,/);

    pad.querySelector(".pad-clear").dispatchEvent("tap");
    await flush();
    expect(canvas.ctx.clearRect).toHaveBeenCalled();
    expect(pad.instance.isEmpty()).toBe(true);
    expect(changes).toEqual([false, true]);
  });
});
