import path from "node:path";
import simulate from "miniprogram-simulate";

/**
 * Loads a mini-program page or component with the official miniprogram-simulate.
 * Its .ts logic is required through jest, so ts-jest transpiles it (no separate build step);
 * WXML goes through the official wcc compiler. `jest.isolateModules` gives every load a
 * fresh module registry so `Component()` runs again for each render.
 */
export const MP_ROOT = path.resolve(__dirname, "../../../miniprogram");

export function render(page: string, overrides?: Record<string, string>): any {
  let id = "";
  jest.isolateModules(() => {
    id = simulate.load(path.join(MP_ROOT, page), { rootPath: MP_ROOT, usingComponents: overrides ?? {} });
  });
  const comp = simulate.render(id);
  // jsdom provides `document`; the root tsconfig has no DOM lib.
  comp.attach((globalThis as any).document.createElement("parent-wrapper"));
  return comp;
}

/**
 * miniprogram-simulate renders <picker> as an empty placeholder that drops
 * every bound property, so a test could not see `start=` at all. This stand-in
 * (pass it as `render(page, { picker: pickerProbe() })`) declares picker's
 * properties, so `querySelector(".x").data.start` is what the page bound;
 * its change events still reach the page's bindchange.
 */
export function pickerProbe(): string {
  // ComponentId is the registered component's id string, branded with its data types.
  return simulate.load({
    template: `<view class="picker-probe"><slot/></view>`,
    properties: { mode: String, start: String, end: String, value: null, range: null, rangeKey: String },
  }) as unknown as string;
}

/** Lets promise chains started by taps and lifecycle hooks settle. */
export async function flush(times = 5): Promise<void> {
  for (let i = 0; i < times; i++) await simulate.sleep(0);
}

export { simulate };
