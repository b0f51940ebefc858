// Run by test/backends/harden-threads.test.ts in a Node whose worker pool cannot start (a permission model
// without --allow-worker, or a ulimit -v too low for shared memory): prints what each call did.
const elman = await import(new URL('../../dist/index.js', import.meta.url).href);
await elman.init();
const out = {};
const said = (e) => `${e.name}: ${e.message}`;
const rnn = new elman.RNN({ inputSize: 1, layers: [{ cell: 'lstm', units: 32 }], outputSize: 1 });
const data = { samples: 64, steps: 10, inputSize: 1, outputSize: 1, x: new Float32Array(640).fill(0.1), targets: new Float32Array(64).fill(0.5) };
try {
  const placed = await rnn.placeThreaded(data); // 'auto': 2 threads where they run, for this much work
  out.auto = rnn.bind(placed, {}).threads ?? 1;
} catch (e) {
  out.auto = said(e);
}
try {
  await rnn.placeThreaded(data, { threads: 2 });
  out.explicit = 'placed';
} catch (e) {
  out.explicit = said(e);
}
const counter = elman.countOnes({ samples: 1000, length: 108, rng: new elman.RandomState(1) });
try {
  const [threaded, single] = [await elman.lossSurfaceThreaded(counter), elman.lossSurface(counter)];
  out.surface = threaded.loss.length === single.loss.length && threaded.loss.every((v, i) => Object.is(v, single.loss[i]));
} catch (e) {
  out.surface = said(e);
}
try {
  await elman.lossSurfaceThreaded(counter, { threads: 2 });
  out.surfaceExplicit = 'ran';
} catch (e) {
  out.surfaceExplicit = said(e);
}
rnn.dispose();
console.log(JSON.stringify(out));
