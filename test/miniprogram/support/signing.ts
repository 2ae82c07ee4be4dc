import { flush } from "./simulate";
import { fakeCanvas, provideCanvas } from "./wxStub";

/** Signs inside a page's <signature-form id="form">: draws a stroke, types the name, ticks the box, taps submit. */
export async function signForm(page: any, opts: { name?: string; draw?: boolean; confirm?: boolean } = {}) {
  const form = page.querySelector("#form");
  const pad = form.querySelector("#signature");
  const canvas = fakeCanvas();
  provideCanvas(pad.instance, canvas);
  if (opts.draw ?? true) {
    const area = pad.querySelector("#pad");
    area.dispatchEvent("touchstart", { touches: [{ x: 5, y: 5 }] });
    await flush();
    area.dispatchEvent("touchmove", { touches: [{ x: 50, y: 20 }] });
    await flush();
  }
  if (opts.name !== undefined) form.querySelector(".sf-name").dispatchEvent("input", { detail: { value: opts.name } });
  if (opts.confirm ?? true) form.querySelector(".sf-confirm").dispatchEvent("change", { detail: { value: ["yes"] } });
  await flush();
  form.querySelector(".sf-submit").dispatchEvent("tap");
  await flush(10);
  return form;
}

export const text = (comp: any, selector: string): string | undefined => comp.querySelector(selector)?.dom.textContent;
