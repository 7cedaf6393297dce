// The child process of kill.test.ts: integrates a package with the built library and stops for good at
// commit point N, so that the test can kill it there. Prints `POINT <n> <label>` at every point,
// `PAUSED <n>` when it stops, `DONE` when it finishes. It exits by itself after a minute.
const [dir, at] = process.argv.slice(2);
const { integratePackage } = await import(new URL('../../dist/index.js', import.meta.url).href);
const pauseAt = Number(at);
setTimeout(() => process.exit(99), 60_000).unref();
await integratePackage(dir, {
  hooks: {
    point: (n, label) => {
      process.stdout.write(`POINT ${n} ${label}\n`);
      if (n !== pauseAt) return undefined;
      process.stdout.write(`PAUSED ${n}\n`);
      return new Promise(() => setTimeout(() => process.exit(98), 60_000));
    },
  },
});
process.stdout.write('DONE\n');
