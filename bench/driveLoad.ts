import { fork } from "node:child_process";
import path from "node:path";
import type { DriveRequest, DriveResult } from "./loadDriver";

/** Run the load driver in a child process and wait for its numbers. */
export function driveLoad(request: DriveRequest): Promise<DriveResult> {
  return new Promise((resolve, reject) => {
    const child = fork(path.join(__dirname, "loadDriver.js"), { stdio: ["ignore", "inherit", "inherit", "ipc"] });
    let result: DriveResult | undefined;
    child.once("message", (m) => (result = m as DriveResult));
    child.once("error", reject);
    child.once("exit", (code) => (result ? resolve(result) : reject(new Error(`load driver exited with ${code}`))));
    child.send(request);
  });
}
