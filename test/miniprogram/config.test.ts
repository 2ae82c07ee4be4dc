import { readFileSync } from "node:fs";
import path from "node:path";
import { API_BASES, apiBaseFor } from "../../miniprogram/config";
import { appJson } from "./support/appJson";

describe("mini-program configuration", () => {
  const bases = { develop: "http://127.0.0.1:3000", trial: "https://trial.example", release: "https://guard.example" };

  it("chooses the API origin by the running version (wx.getAccountInfoSync().miniProgram.envVersion)", () => {
    expect(apiBaseFor("develop", bases, false)).toBe("http://127.0.0.1:3000");
    expect(apiBaseFor("trial", bases, false)).toBe("https://trial.example");
    expect(apiBaseFor("release", bases, false)).toBe("https://guard.example");
    // Base library < 2.10.0 has no envVersion: the release origin, never this computer.
    expect(apiBaseFor(undefined, bases, false)).toBe("https://guard.example");
    // A build sent for review runs as develop: it talks to the trial origin.
    expect(apiBaseFor("develop", bases, true)).toBe("https://trial.example");
  });

  it("sends only HTTPS outside development (WeChat refuses http request domains in trial and release)", () => {
    expect([API_BASES.trial, API_BASES.release].filter((u) => !u.startsWith("https://"))).toEqual([]);
  });

  it("uses WeUI through the extended library (not counted in the package size)", () => {
    expect((appJson as { useExtendedLib?: Record<string, boolean> }).useExtendedLib).toEqual({ weui: true });
  });

  it.each(appJson.pages)("%s shows its error with a retry that loads the page again", (page) => {
    const root = path.resolve(__dirname, "../../miniprogram", page);
    const wxml = readFileSync(`${root}.wxml`, "utf8");
    expect(wxml).toContain(`<view class="page-error">{{pageError}}</view>\n    <button class="btn-plain retry" size="mini" bindtap="load">重试</button>`);
    expect(readFileSync(`${root}.ts`, "utf8")).toMatch(/\n    async load\(\) \{/);
  });
});
