// A Cloudflare worker that trains the counter once per isolate and answers predictions:
// GET /?bits=1011 → { "bits": "1011", "count": 3.0001 }. With wrangler, `import 'elman'` picks the
// package's "workerd" entry, which brings the core in as a compiled module: init() needs no argument.
import { countOnes, init, LinearRNN, RandomState, rmsprop, trainSync } from 'elman';

let model;

async function trained() {
  if (model) return model;
  await init();
  const rng = new RandomState(1);
  const data = countOnes({ samples: 20, length: 10, rng });
  const m = new LinearRNN({ wx: rng.uniform(-0.1, 0.1), wRec: rng.uniform(-0.1, 0.1) });
  trainSync(m, data, { optimizer: rmsprop({ lr: 1e-3 }), epochs: 2000 });
  model = m;
  return model;
}

export default {
  async fetch(request) {
    const bits = new URL(request.url).searchParams.get('bits') ?? '1011';
    if (!/^[01]{1,64}$/.test(bits)) return Response.json({ error: 'bits must be 1 to 64 characters 0 or 1' }, { status: 400 });
    const m = await trained();
    return Response.json({ bits, count: m.predict([...bits].map(Number)), weights: m.weights });
  },
};
