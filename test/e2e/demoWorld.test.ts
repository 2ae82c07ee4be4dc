import { CAST } from "../../src/demo/cast";
import { startStoryEnv, type StoryEnv } from "../../src/demo/env";
import { playStory, type StoryResult } from "../../src/demo/story";
import { silentTranscript } from "../../src/demo/transcript";
import type { Database } from "../../src/platform/db/database";
import { silentLogger } from "../../src/platform/logger";
import { pageExists } from "../miniprogram/support/appJson";
import { createTestDatabase } from "../support/testDatabase";
import { INTERNAL_WORDS, internalWordsIn, openAs, visibleText } from "./demoWorld.support";


/**
 * The demo's world after the story has played, seen by its people: every link
 * the story sent opens for its recipient, and no console page shows an id or
 * an enum key.
 */
describe("the demo world in the console", () => {
  let db: Database;
  let env: StoryEnv;
  let result: StoryResult;

  beforeAll(async () => {
    db = await createTestDatabase();
    env = await startStoryEnv(db, silentLogger());
    result = await playStory(env, silentTranscript());
  }, 120_000);
  afterAll(async () => {
    await env?.stop();
    await db?.close();
  });

  it("the story passed", () => {
    expect(result.checks.filter((c) => !c.ok)).toEqual([]);
  });

  it("every web link in a card or robot message opens (200) with its recipient's session", async () => {
    const links: { to: string; url: string }[] = [];
    const linksIn = (body: unknown) => JSON.stringify(body).match(/https:\/\/guard\.example\.com[^\s)"'\\]*/g) ?? [];
    for (const m of env.sandbox.state.messages) for (const url of linksIn(m.body)) for (const to of m.deliveredTo) links.push({ to, url });
    // The HR group robot speaks to the branch's HR.
    for (const w of env.sandbox.state.webhookMessages) for (const url of linksIn(w.body)) links.push({ to: CAST.hr, url });
    expect(links.length).toBeGreaterThanOrEqual(4);
    const kinds = new Set(links.map((l) => new URL(l.url).pathname.split("/")[2]));
    expect(kinds).toEqual(new Set(["cases", "alerts"]));
    const failures: string[] = [];
    for (const { to, url } of links) {
      const u = new URL(url);
      const page = await openAs(env, to, u.pathname + u.search);
      if (page.status !== 200) failures.push(`${to} ${u.pathname}: ${page.status}`);
    }
    expect(failures).toEqual([]);
  });

  it("every mini-program page the server sent is a page of app.json", () => {
    const pages = env.sandbox.state.messages.filter((m) => m.msgtype === "miniprogram_notice").map((m) => (m.body.miniprogram_notice as { page: string }).page);
    expect(pages.length).toBeGreaterThanOrEqual(2);
    expect(pages.filter((p) => !pageExists(p))).toEqual([]);
  });
  it("no console page shows a staff userid, external_userid, chat id or enum key", async () => {
    const [alert] = await db.dataSource.query(`SELECT id FROM alert LIMIT 1`);
    const pages: [string, string][] = [
      [CAST.hr, "/console"],
      [CAST.hr, "/console/cases"],
      [CAST.hr, `/console/cases/${result.caseId}`],
      [CAST.hr, `/console/handover/${CAST.leaver}`],
      [CAST.hr, "/console/alerts"],
      [CAST.hr, `/console/alerts/${alert.id}`],
      [CAST.hr, "/console/archive"],
      [CAST.hr, "/console/settings"],
      [CAST.successors[0], "/console"],
      [CAST.it, "/console"],
      [CAST.departmentHead, `/console/cases/${result.caseId}`],
    ];
    const found: Record<string, string[]> = {};
    for (const [who, path] of pages) {
      const page = await openAs(env, who, path);
      if (page.status !== 200) {
        found[`${who} ${path}`] = [`HTTP ${page.status}`];
        continue;
      }
      const words = internalWordsIn(visibleText(page.body), INTERNAL_WORDS);
      if (words.length > 0) found[`${who} ${path}`] = words;
    }
    expect(found).toEqual({});
  });
});
