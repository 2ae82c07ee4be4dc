import { MP_PAGES, mpPagePath } from "../../miniprogram/pagePaths";
import { appJson, pageExists } from "./support/appJson";

describe("mini-program pages the server links to", () => {
  it("every shared page constant is a page of app.json", () => {
    const missing = Object.values(MP_PAGES).filter((p) => !appJson.pages.includes(p));
    expect(missing).toEqual([]);
  });

  it("builds page paths with their query, without a leading slash (WeCom's miniprogram_notice page field)", () => {
    expect(mpPagePath("sign", { id: "a b" })).toBe("pages/resign/sign/index?id=a%20b");
    expect(pageExists(mpPagePath("certificate", { id: "x" }))).toBe(true);
    expect(pageExists("pages/resignation/index")).toBe(false);
  });
});
