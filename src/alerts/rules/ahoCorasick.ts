/**
 * Multi-pattern matcher (Aho–Corasick): one pass over the text whatever the
 * size of the keyword list, so a branch's 300-word list costs the same per
 * message as one word. Small enough to own rather than depend on a package.
 */
interface Node {
  next: Map<string, number>;
  fail: number;
  /** Indexes of patterns ending here, including via fail links. */
  out: number[];
}

export interface PatternMatch {
  pattern: string;
  /** Code-point index just past the match. */
  end: number;
}

export class AhoCorasick {
  private readonly nodes: Node[] = [{ next: new Map(), fail: 0, out: [] }];
  private readonly patterns: string[];

  constructor(patterns: Iterable<string>) {
    this.patterns = [...new Set([...patterns].filter((p) => p.length > 0))];
    this.patterns.forEach((p, i) => this.insert(p, i));
    this.link();
  }

  private insert(pattern: string, index: number): void {
    let at = 0;
    for (const ch of pattern) {
      let to = this.nodes[at]!.next.get(ch);
      if (to === undefined) {
        to = this.nodes.push({ next: new Map(), fail: 0, out: [] }) - 1;
        this.nodes[at]!.next.set(ch, to);
      }
      at = to;
    }
    this.nodes[at]!.out.push(index);
  }

  private link(): void {
    const queue: number[] = [...this.nodes[0]!.next.values()];
    while (queue.length > 0) {
      const at = queue.shift()!;
      const node = this.nodes[at]!;
      for (const [ch, to] of node.next) {
        let f = node.fail;
        while (f !== 0 && !this.nodes[f]!.next.has(ch)) f = this.nodes[f]!.fail;
        const target = this.nodes[f]!.next.get(ch);
        const child = this.nodes[to]!;
        child.fail = target !== undefined && target !== to ? target : 0;
        child.out.push(...this.nodes[child.fail]!.out);
        queue.push(to);
      }
    }
  }

  findAll(text: string): PatternMatch[] {
    const found: PatternMatch[] = [];
    let at = 0;
    let i = 0;
    for (const ch of text) {
      while (at !== 0 && !this.nodes[at]!.next.has(ch)) at = this.nodes[at]!.fail;
      at = this.nodes[at]!.next.get(ch) ?? 0;
      i++;
      for (const p of this.nodes[at]!.out) found.push({ pattern: this.patterns[p]!, end: i });
    }
    return found;
  }

  /** Distinct patterns present, in first-seen order. */
  distinctMatches(text: string): string[] {
    return [...new Set(this.findAll(text).map((m) => m.pattern))];
  }
}
