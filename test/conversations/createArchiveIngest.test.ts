import { createArchiveIngest } from "../../src/conversations/archive/createArchiveIngest";
import { createArchiveSource } from "../../src/wecom/archive/createArchiveSource";
import { SandboxFeedSource } from "../../src/wecom/archive/sandboxFeedSource";
import { TestClock } from "../../src/platform/clock";
import { silentLogger } from "../../src/platform/logger";
import { testConfig } from "../support/testConfig";
import type { DataSource } from "typeorm";

describe("archive ingest wiring", () => {
  it("uses the sandbox feed in development without a corp", () => {
    expect(createArchiveSource(testConfig())).toBeInstanceOf(SandboxFeedSource);
  });

  it("refuses the native SDK without corp id and archive secret", () => {
    expect(() => createArchiveSource(testConfig({ WECOM_FINANCE_SDK_PATH: "/opt/sdk/libWeWorkFinanceSdk_C.so" }))).toThrow(/WECOM_CORP_ID and WECOM_ARCHIVE_SECRET/);
  });

  it("is disabled when a real corp has no SDK configured", () => {
    const services = { config: testConfig({ WECOM_CORP_ID: "ww1" }), logger: silentLogger(), clock: new TestClock(), dataSource: {} as DataSource };
    expect(createArchiveIngest(services)).toBeUndefined();
  });
});
