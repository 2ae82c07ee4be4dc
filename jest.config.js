/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: "node",
  roots: ["<rootDir>/test", "<rootDir>/src", "<rootDir>/miniprogram"],
  testMatch: ["**/*.test.ts"],
  // Type errors are reported once by `npm run typecheck`; here we only transpile, which keeps 2-core runs fast.
  transform: { "^.+\\.ts$": ["ts-jest", { tsconfig: "tsconfig.jest.json", diagnostics: false }] },
  globalSetup: "<rootDir>/test/support/globalSetup.ts",
  globalTeardown: "<rootDir>/test/support/globalTeardown.ts",
  setupFiles: ["reflect-metadata", "<rootDir>/test/support/jsdomGlobals.ts"],
  maxWorkers: process.env.JEST_WORKERS ?? 2,
  testTimeout: 30000,
  slowTestThreshold: 10,
};
