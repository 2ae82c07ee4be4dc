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
  // Each test file's module registry stays partly reachable in a worker (jestjs/jest#11956: vm contexts on Node >= 16.11),
  // so a worker's heap grew to ~950 MB over its ~98 files. Tearing down a heap that size at exit took longer than the
  // 500 ms jest-worker allows, so every full run ended with "A worker process has failed to exit gracefully" although no
  // handle was left. A worker past this heap after a file is replaced by a fresh one (jest's documented workaround).
  workerIdleMemoryLimit: "512MB",
  testTimeout: 30000,
  slowTestThreshold: 10,
};
