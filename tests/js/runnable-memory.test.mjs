// The runnable widget's saved memory as the worker keeps it (runnable-worker.js: `pack`, `unpack`):
// Pyodide's copy without its pages of zeros, and back, under `node --test`. The worker script runs
// as a classic script in a context of its own; what is checked: a copy comes back byte for byte,
// pages of zeros are left out, a copy in Pyodide's own form is taken as it is, and a copy that
// does not add up, or would unpack to more than a fresh start could hold, unpacks to nothing
// (the start is then a fresh one) without the 4 GB it claims being asked for.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import vm from "node:vm";

const WORKER = readFileSync(
  new URL("../../scripts/tracksite/core/widgets/runnable/runnable-worker.js", import.meta.url), "utf8");
// the script is one closure that hands boot() to the frame's script; here it hands its codec out
const END = "self.tracksiteBoot = boot;\n})();";
assert.ok(WORKER.trimEnd().endsWith(END), "runnable-worker.js no longer ends as this test expects");
const exposed = WORKER.trimEnd().slice(0, -END.length) + "return { pack, unpack, PAGE };\n})();";
const context = vm.createContext({ self: {}, performance, TextDecoder, postMessage() {} });
const { pack, unpack, PAGE } = vm.runInContext(exposed, context);

/** A copy as Pyodide writes one: its magic number and header length, a header, then pages. */
function copy(pages) {
  const head = 48;
  const bytes = new Uint8Array(head + pages.length * PAGE);
  const view = new DataView(bytes.buffer);
  view.setUint32(0, 1886286592, true);
  view.setUint32(4, head, true);
  pages.forEach((fill, p) => { if (fill) bytes.fill(fill, head + p * PAGE + 7, head + p * PAGE + 99); });
  return bytes;
}

test("a copy comes back byte for byte, its pages of zeros left out", () => {
  const original = copy([1, 0, 0, 2, 0, 3]);
  const packed = pack(original);
  assert.ok(packed.length < original.length - 2 * PAGE, `${packed.length} of ${original.length}`);
  const back = unpack(packed); // (an array of the script's own context: compared as bytes)
  assert.ok(back && Buffer.from(back).equals(Buffer.from(original)), "unpacked differs");
});

test("a copy in Pyodide's own form is taken as it is", () => {
  const original = copy([1, 2]);
  assert.equal(unpack(original), original);
});

test("a packed copy that does not add up unpacks to nothing", () => {
  const packed = pack(copy([1, 0, 2]));
  assert.equal(unpack(packed.subarray(0, packed.length - 1)), null); // cut short
  const marked = packed.slice();
  marked[16] = 7; // a page neither kept nor left out
  assert.equal(unpack(marked), null);
});

test("a packed copy claiming more memory than a start holds unpacks to nothing", () => {
  // 65,535 pages of zeros and a header: 64 KB on disk, 4 GB unpacked
  const pages = 65535, head = 48, start = 16 + Math.ceil(pages / 4) * 4;
  const bomb = new Uint8Array(start + head);
  new Uint32Array(bomb.buffer, 0, 4).set([0x315a5354, head + pages * PAGE, head, pages]);
  assert.equal(unpack(bomb), null);
});
