import { readFileSync } from "node:fs";
import path from "node:path";

export const appJson = JSON.parse(readFileSync(path.resolve(__dirname, "../../../miniprogram/app.json"), "utf8")) as { pages: string[] };

/** A page path as WeCom opens it (`pages/x/index?id=…`) exists when its part before `?` is one of app.json's pages. */
export function pageExists(page: string): boolean {
  return appJson.pages.includes(page.split("?")[0] as string);
}
