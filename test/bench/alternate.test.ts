import { alternate, describeRatio } from "../../bench/support/alternate";

/**
 * A machine whose speed is `speedOf(run)` for the run-th run (0-based, warm-up included); the subject does 0.75 of
 * the baseline's work per second at any speed. Records the order the runs ran in.
 */
function machine(speedOf: (run: number) => number) {
  const order: string[] = [];
  let run = 0;
  return {
    order,
    baseline: async (round: number) => {
      order.push(`A${round}`);
      return 1000 * speedOf(run++);
    },
    subject: async (round: number) => {
      order.push(`B${round}`);
      return 750 * speedOf(run++);
    },
  };
}

const figure = (x: number) => x;

describe("alternate", () => {
  it("runs warm-up pairs, then A B A B, then the closing A when asked", async () => {
    const m = machine(() => 1);
    const c = await alternate({ rounds: 3, warmupRounds: 1, closingBaseline: true, baseline: m.baseline, subject: m.subject, figure });
    expect(m.order).toEqual(["A-1", "B-1", "A0", "B0", "A1", "B1", "A2", "B2", "A3"]);
    expect(c.closingBaseline).toBe(1000);
    expect(describeRatio(c)).toBe("0.75 (0.75–0.75 over 6 adjacent pairs of 3 rounds A B … A)");
  });

  it("with a closing baseline, a machine slowing down or speeding up over the runs cancels; A-then-B pairs are off by the drift", async () => {
    for (const perRun of [-0.04, 0.04]) {
      const closed = await alternate({ rounds: 8, closingBaseline: true, ...machine((run) => 1 + perRun * run), figure });
      const paired = await alternate({ rounds: 8, ...machine((run) => 1 + perRun * run), figure });
      expect(Math.abs(closed.median - 0.75)).toBeLessThan(0.002);
      // Each plain pair's subject ran one run after its baseline: 0.75 × (1 + d·(2r+1)) / (1 + d·2r).
      expect(Math.abs(paired.median - 0.75)).toBeGreaterThan(0.01);
      expect(paired.median > 0.75).toBe(perRun > 0);
    }
  });

  it("ignores the edges of a spell of slow runs whichever side they fall on, where they move the median of four A-then-B pairs", async () => {
    // Runs 0-8: A0 B0 A1 B1 A2 B2 A3 B3 A4. A spell at half speed over runs 1-2 (B0 A1), and a slow B2 (run 5).
    const spells = (run: number) => (run === 1 || run === 2 || run === 5 ? 0.5 : 1);
    const fourPairs = await alternate({ rounds: 4, ...machine(spells), figure });
    expect(fourPairs.median).toBeCloseTo(0.5625, 10);
    const closed = await alternate({ rounds: 4, closingBaseline: true, ...machine(spells), figure });
    expect(closed.median).toBeCloseTo(0.75, 10);
    expect([closed.min, closed.max]).toEqual([0.375, 1.5]);
  });
});
