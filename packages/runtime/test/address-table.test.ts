// The typed-array address table against a plain Map: random sets, replacements and deletions of
// 8-aligned addresses (many sharing home slots, to exercise the backward shift), with every
// key's words and the size compared after each command.

import { fc } from "@fast-check/vitest";
import { describe, expect, it } from "vitest";
import { AddressTable } from "../src/objects/address-table.js";

type Model = Map<number, readonly [number, number]>;
type Real = { table: AddressTable };

// A small address space makes collisions and long probe runs common.
const address = fc.integer({ min: 1, max: 4096 }).map((i) => i * 8);
const word = fc.integer({ min: 0, max: 0xffff_ffff });

class SetCommand implements fc.Command<Model, Real> {
  constructor(
    readonly key: number,
    readonly first: number,
    readonly second: number,
  ) {}
  check = () => true;
  run(m: Model, r: Real): void {
    m.set(this.key, [this.first, this.second]);
    r.table.set(this.key, this.first, this.second);
    agree(m, r.table);
  }
  toString = () => `set(${this.key}, ${this.first}, ${this.second})`;
}

class DeleteCommand implements fc.Command<Model, Real> {
  constructor(readonly key: number) {}
  check = () => true;
  run(m: Model, r: Real): void {
    expect(r.table.delete(this.key)).toBe(m.delete(this.key));
    agree(m, r.table);
  }
  toString = () => `delete(${this.key})`;
}

function agree(m: Model, table: AddressTable): void {
  expect(table.size).toBe(m.size);
  for (const [key, [first, second]] of m) {
    expect(table.has(key)).toBe(true);
    expect(table.first(key)).toBe(first);
    expect(table.second(key)).toBe(second);
  }
}

describe("AddressTable", () => {
  it("holds what a Map holds, through sets, replacements, deletions and growth", () => {
    const commands = fc.commands(
      [
        fc.tuple(address, word, word).map(([k, a, b]) => new SetCommand(k, a, b)),
        address.map((k) => new DeleteCommand(k)),
      ],
      { maxCommands: 400 },
    );
    fc.assert(
      fc.property(commands, (cmds) => {
        const model: Model = new Map();
        const real = { table: new AddressTable(16) };
        fc.modelRun(() => ({ model, real }), cmds);
        // Keys never set or already deleted are absent.
        for (let k = 8; k <= 4096 * 8; k += 8 * 97) {
          if (!model.has(k)) {
            expect(real.table.has(k)).toBe(false);
            expect(real.table.first(k)).toBe(-1);
          }
        }
      }),
      { numRuns: 120 },
    );
  });

  it("keeps a million addresses and lets them all go", () => {
    const table = new AddressTable();
    const n = 1_000_000;
    for (let i = 1; i <= n; i++) table.set(i * 48, i & 0xff, i);
    expect(table.size).toBe(n);
    expect(table.first(48 * 777)).toBe(777 & 0xff);
    expect(table.second(48 * n)).toBe(n);
    for (let i = 1; i <= n; i += 2) table.delete(i * 48);
    expect(table.size).toBe(n / 2);
    for (let i = 2; i <= n; i += 2) expect(table.second(i * 48)).toBe(i);
    expect(table.has(48)).toBe(false);
  });

  it("refuses address 0, which marks an empty slot", () => {
    const table = new AddressTable();
    expect(() => table.set(0, 1, 2)).toThrow(RangeError);
    expect(table.size).toBe(0);
  });
});
