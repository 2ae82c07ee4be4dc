import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
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
    id = simulate.load(path.join(MP_ROOT, page), { rootPath: MP_ROOT, usingComponents: { ...weuiComponentsOf(page), ...overrides } });
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

/** WeUI as `npm i weui-miniprogram` ships it: the same components WeChat serves through app.json's useExtendedLib. */
const weuiDist = () => path.dirname(createRequire(__filename).resolve("weui-miniprogram/miniprogram_dist/index.json"));
const WEUI_PREFIX = "weui-miniprogram/";

/**
 * The page's WeUI components, loaded from the weui-miniprogram package. In WeChat, app.json's
 * `useExtendedLib: { weui: true }` resolves a usingComponents path that starts with `weui-miniprogram/`
 * (e.g. `"mp-dialog": "weui-miniprogram/dialog/dialog"`); the simulator knows no extended library, so the
 * test loads the same component from the npm package under the page's own tag name.
 */
export function weuiComponentsOf(page: string): Record<string, string> {
  const json = JSON.parse(readFileSync(path.join(MP_ROOT, `${page}.json`), "utf8")) as { usingComponents?: Record<string, string> };
  const found: Record<string, string> = {};
  for (const [tag, target] of Object.entries(json.usingComponents ?? {})) {
    if (!target.startsWith(WEUI_PREFIX)) continue;
    // Resolved only for a page that uses WeUI: the other page tests do not need the package installed.
    const dist = weuiDist();
    found[tag] = simulate.load(path.join(dist, target.slice(WEUI_PREFIX.length)), { rootPath: dist }) as unknown as string;
  }
  return found;
}

/** Lets promise chains started by taps and lifecycle hooks settle. */
export async function flush(times = 5): Promise<void> {
  for (let i = 0; i < times; i++) await simulate.sleep(0);
}

export { simulate };
