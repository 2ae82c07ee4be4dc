import { readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import ts from "typescript";

/**
 * The import-boundary check (issue 17): the folder names under src/ promise
 * capabilities; these rules keep the promise as the code grows.
 *  - no cycle between capabilities (a capability's edges may only go "down");
 *  - the platform (the shared kernel) depends on no capability;
 *  - only src/wecom/ (and the sandbox, which plays WeCom) speaks WeCom's HTTP,
 *    XML, callback crypto and the native Finance SDK;
 *  - each capability has one public interface, its index.ts: another capability imports
 *    that and nothing inside it (the platform, a kernel of small one-job modules, is
 *    imported by path), and a capability never imports its own index (which would make
 *    its load order depend on the order of the re-exports);
 *  - one naming convention: every source file is named in camelCase.
 * Imports are read with TypeScript's own pre-processor, so `import type`,
 * re-exports and dynamic imports all count.
 */

const SRC = path.resolve(__dirname, "../../src");

/** Libraries that are WeCom's wire: HTTP client, callback crypto, XML, the native SDK binding. */
const WECOM_WIRE = ["axios", "wechat-crypto", "@wecom/crypto", "fast-xml-parser", "koffi"];
const MAY_SPEAK_WECOM = new Set(["wecom", "sandbox"]);

interface Edge {
  from: string;
  to: string;
  file: string;
  spec: string;
  /** The imported path relative to src/, without extension ("org/policies/actor", "org"). */
  target: string;
}

/** Imported by path rather than through an index: the shared kernel. */
const KERNEL = "platform";

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) return sourceFiles(full);
    return full.endsWith(".ts") ? [full] : [];
  });
}

/** The capability a file belongs to: its first folder under src/ ("(root)" for compose.ts and friends). */
function capabilityOf(file: string): string | undefined {
  const rel = path.relative(SRC, file);
  if (rel.startsWith("..")) return undefined; // outside src/ (ormconfig, miniprogram contracts)
  const parts = rel.split(path.sep);
  return parts.length > 1 ? parts[0] : "(root)";
}

const files = sourceFiles(SRC);
const imports = files.map((file) => ({
  file,
  specs: ts.preProcessFile(readFileSync(file, "utf8"), true, true).importedFiles.map((f) => f.fileName),
}));

const edges: Edge[] = imports.flatMap(({ file, specs }) =>
  specs
    .filter((spec) => spec.startsWith("."))
    .map((spec) => {
      const bare = path.resolve(path.dirname(file), spec);
      // "../org" names the folder: the module is its index.ts.
      const resolved = files.includes(path.join(bare, "index.ts")) ? path.join(bare, "index") : bare;
      return { from: capabilityOf(file)!, to: capabilityOf(resolved), file, spec, target: path.relative(SRC, resolved).split(path.sep).join("/") };
    })
    .filter((e): e is Edge => e.to !== undefined && e.to !== e.from),
);

/** Strongly connected components of the capability graph with more than one member (Tarjan). */
function cycles(all: Edge[]): string[][] {
  const graph = new Map<string, Set<string>>();
  for (const e of all) {
    if (e.from === "(root)" || e.to === "(root)") continue; // the composition root wires everything
    graph.set(e.from, (graph.get(e.from) ?? new Set()).add(e.to));
    if (!graph.has(e.to)) graph.set(e.to, new Set());
  }
  let counter = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const found: string[][] = [];
  const visit = (v: string): void => {
    index.set(v, counter);
    low.set(v, counter++);
    stack.push(v);
    onStack.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
    }
    if (low.get(v) === index.get(v)) {
      const component: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        onStack.delete(w);
        component.push(w);
      } while (w !== v);
      if (component.length > 1) found.push(component.sort());
    }
  };
  for (const v of graph.keys()) if (!index.has(v)) visit(v);
  return found;
}

const describeEdges = (list: Edge[]) => list.map((e) => `${path.relative(SRC, e.file)} → ${e.spec}`);

describe("capability boundaries", () => {
  it("reads a real import graph (guards the check itself)", () => {
    expect(files.length).toBeGreaterThan(200);
    expect(edges.some((e) => e.from === "handover" && e.to === "conversations")).toBe(true);
  });

  it("has no cycle between capabilities", () => {
    const found = cycles(edges);
    const detail = found.map((component) => ({
      capabilities: component,
      edges: describeEdges(edges.filter((e) => component.includes(e.from) && component.includes(e.to))),
    }));
    expect(detail).toEqual([]);
  });

  it("keeps the platform free of capabilities", () => {
    const upward = edges.filter((e) => e.from === "platform" && e.to !== "platform");
    expect(describeEdges(upward)).toEqual([]);
  });

  it("imports another capability only through its index.ts (its one public interface)", () => {
    const capabilities = new Set(edges.map((e) => e.to));
    const missing = [...capabilities].filter((c) => c !== "(root)" && c !== KERNEL && !files.includes(path.join(SRC, c, "index.ts")));
    expect(missing).toEqual([]);
    const deep = edges.filter((e) => e.to !== KERNEL && e.to !== "(root)" && e.target !== e.to && e.target !== `${e.to}/index`);
    expect(describeEdges(deep)).toEqual([]);
    expect(deep.length + edges.filter((e) => e.target === `${e.to}/index`).length).toBeGreaterThan(100); // the check reads real imports
  });

  it("never imports its own capability's index from inside", () => {
    const inward = imports.flatMap(({ file, specs }) =>
      specs
        .filter((spec) => spec.startsWith("."))
        .filter((spec) => {
          const cap = capabilityOf(file);
          const target = path.relative(SRC, path.resolve(path.dirname(file), spec)).split(path.sep).join("/");
          // A sub-folder's own index (wecom/client) is fine; the capability's top index is not.
          return cap !== "(root)" && (target === cap || target === `${cap}/index`);
        })
        .map((spec) => `${path.relative(SRC, file)} → ${spec}`),
    );
    expect(inward).toEqual([]);
  });

  it("speaks WeCom's wire (HTTP client, callback crypto, XML, the Finance SDK) only in src/wecom and the sandbox", () => {
    const outside = imports.flatMap(({ file, specs }) =>
      specs.filter((spec) => WECOM_WIRE.includes(spec) && !MAY_SPEAK_WECOM.has(capabilityOf(file)!)).map((spec) => `${path.relative(SRC, file)} → ${spec}`),
    );
    expect(outside).toEqual([]);
  });

  it("names every source file in camelCase (one convention)", () => {
    // Declaration files for untyped packages keep the package's own name (wechat-crypto.d.ts).
    const misnamed = files.map((f) => path.relative(SRC, f)).filter((rel) => !rel.endsWith(".d.ts") && !/^[a-z][A-Za-z0-9]*(\.[a-z]+)*\.ts$/.test(path.basename(rel)));
    expect(misnamed).toEqual([]);
  });
});

describe("the README's source map", () => {
  it("lists each capability's public interface as its index.ts exports it", () => {
    const readme = readFileSync(path.resolve(__dirname, "../../README.md"), "utf8");
    const documented = new Map(
      [...readme.matchAll(/^\| `src\/([a-z]+)\/index\.ts` \| (.*) \|$/gm)].map((m) => [m[1]!, [...m[2]!.matchAll(/`([^`]+)`/g)].map((n) => n[1]!).sort()]),
    );
    const actual = new Map(
      files
        .filter((f) => path.basename(f) === "index.ts" && path.dirname(path.dirname(f)) === SRC)
        .map((f) => {
          const names = [...readFileSync(f, "utf8").matchAll(/export (?:type )?\{([^}]*)\} from/g)].flatMap((m) =>
            m[1]!.split(",").map((n) => n.trim().split(/\s+as\s+/).pop()!).filter(Boolean),
          );
          return [path.basename(path.dirname(f)), names.sort()] as const;
        }),
    );
    expect(Object.fromEntries(documented)).toEqual(Object.fromEntries(actual));
  });
});
