"use strict";
var __importDefault = (this && this.__importDefault) || function (mod) {
    return (mod && mod.__esModule) ? mod : { "default": mod };
};
Object.defineProperty(exports, "__esModule", { value: true });
const autocannon_1 = __importDefault(require("autocannon"));
const signedEvents_1 = require("../dist/bench/signedEvents");
const DUPLICATE_EVERY = 20;
async function drive(request) {
    const timestamp = Math.floor(Date.now() / 1000);
    const bodies = Array.from({ length: request.events }, (_, i) => {
        const id = request.idOffset + (i % DUPLICATE_EVERY === DUPLICATE_EVERY - 1 ? i - 7 : i);
        return { id, ...(request.kind === "contact" ? (0, signedEvents_1.signedContactEvent)(id, timestamp) : (0, signedEvents_1.signedCallback)(id, timestamp)) };
    });
    let cursor = 0;
    const seen = new Set();
    process.send({ start: true }); const cpu0 = process.cpuUsage(); const result = await (0, autocannon_1.default)({
        url: request.url,
        connections: request.connections,
        duration: request.durationSeconds,
        requests: [
            {
                method: "POST",
                headers: { "content-type": "text/xml" },
                setupRequest: (req) => {
                    const next = bodies[cursor++ % bodies.length];
                    seen.add(next.id);
                    return { ...req, path: `/wecom/callback?${next.query}`, body: next.body };
                },
            },
        ],
    });
    return {
        requestsPerSecond: result.requests.average, driverCpuMs: (() => { const c = process.cpuUsage(cpu0); return (c.user + c.system) / 1000; })(),
        p99Ms: result.latency.p99,
        p50Ms: result.latency.p50,
        ok: result["2xx"],
        non2xx: result.non2xx,
        errors: result.errors + result.timeouts,
        sent: cursor,
        uniqueSent: seen.size,
    };
}
process.once("message", (message) => {
    drive(message).then((result) => process.send(result, () => process.exit(0)), (err) => {
        process.stderr.write(`load driver failed: ${String(err)}\n`);
        process.exit(1);
    });
});
//# sourceMappingURL=loadDriver.js.map