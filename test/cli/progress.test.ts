// The progress line: on a terminal only, after a second, redrawn in place, erased at the end.
import assert from 'node:assert/strict';
import { mock, test } from 'node:test';
import { progressLine } from '../../src/cli/umbrella-options.js';

function fakeStream(isTTY: boolean) {
  const writes: string[] = [];
  return { writes, stream: { isTTY, columns: 60, write: (s: string) => (writes.push(s), true) } };
}

test('a package render that waits shows the label and the seconds on a TTY after a second, then erases it', () => {
  mock.timers.enable({ apis: ['setInterval', 'Date'] });
  try {
    const { writes, stream } = fakeStream(true);
    const p = progressLine(stream as unknown as NodeJS.WriteStream);
    p.wait('rendering pkg with Helm');
    mock.timers.tick(999);
    assert.deepEqual(writes, [], 'nothing in the first second');
    mock.timers.tick(1);
    mock.timers.tick(1000);
    assert.deepEqual(writes, ['\r\x1b[2Krendering pkg with Helm (1 s)', '\r\x1b[2Krendering pkg with Helm (2 s)']);
    p.end();
    assert.equal(writes.at(-1), '\r\x1b[2K', 'erased before the report is printed');
    mock.timers.tick(5000);
    assert.equal(writes.length, 3, 'no redraw after end()');
  } finally {
    mock.timers.reset();
  }
});

test('off a terminal the progress line prints nothing', () => {
  mock.timers.enable({ apis: ['setInterval', 'Date'] });
  try {
    const { writes, stream } = fakeStream(false);
    const p = progressLine(stream as unknown as NodeJS.WriteStream);
    p.wait('rendering pkg with Helm');
    mock.timers.tick(5000);
    p.onProgress({ phase: 'render', done: 1, total: 2, release: 'kiali' } as never);
    p.end();
    assert.deepEqual(writes, []);
  } finally {
    mock.timers.reset();
  }
});
