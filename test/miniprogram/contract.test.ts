import { REASON_CATEGORIES as miniProgramCategories } from "../../miniprogram/pages/resign/start/validate";
import { REASON_CATEGORIES as serverCategories } from "../../src/resignation/rules/noticeDocument";

describe("mini-program ⇄ server contract", () => {
  it("offers exactly the reason categories the server accepts, with the same labels", () => {
    expect(Object.fromEntries(miniProgramCategories.map((c) => [c.value, c.label]))).toEqual(serverCategories);
  });
});
