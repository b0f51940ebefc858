// A Cloudflare worker serving forecasts from a model trained by elman and saved in TF.js's format.
//   POST / {"sequences": [[v0, v1, ..., v31], ...]}  ->  {"outputs": [[next 4 values], ...]}
//   GET  /                                          ->  what the model expects
// `import 'elman-rnn'` resolves (the "workerd" export condition) to an entry that brings the .wasm core in
// as a compiled module, which workerd requires; init() then needs no argument.
import { ElmanError, init, Predictor } from 'elman-rnn';
import modelJson from './model/model.json'; // text (wrangler.toml: rule "Text")
import weights from './model/weights.bin'; // ArrayBuffer (wrangler.toml: rule "Data")

let loading;

// Bodies above this many bytes get 413 before they are parsed: 1 MiB holds ~30,000 sequences of 32 values.
const MAX_BODY_BYTES = 2 ** 20;

/** The model, loaded once per isolate and shared by every request. */
function predictor() {
  loading ??= init().then(() => {
    const json = JSON.parse(modelJson);
    return Predictor.load({ ...json, weightSpecs: json.weightsManifest.flatMap((g) => g.weights), weightData: weights });
  });
  return loading;
}

export default {
  async fetch(request) {
    const p = await predictor();
    const meta = { inputs: p.model.inputSize, outputs: p.model.outputSize, lookback: p.metadata?.lookback, horizon: p.metadata?.horizon, usage: 'POST {"sequences": [[v0, v1, ...], ...]}' };
    if (request.method === 'GET') return Response.json(meta);
    if (request.method !== 'POST') return Response.json({ error: `method ${request.method} not allowed`, ...meta }, { status: 405 });
    const tooLarge = () => Response.json({ error: `the body must be at most ${MAX_BODY_BYTES} bytes` }, { status: 413 });
    if (Number(request.headers.get('content-length') ?? 0) > MAX_BODY_BYTES) return tooLarge();
    let body;
    try {
      // Read as text first: a body without a length header is measured before JSON.parse sees it.
      const text = await request.text();
      if (text.length > MAX_BODY_BYTES) return tooLarge();
      body = JSON.parse(text);
    } catch {
      return Response.json({ error: 'the body must be JSON: {"sequences": [...]}' }, { status: 400 });
    }
    try {
      return Response.json({ outputs: p.predict(body?.sequences) });
    } catch (error) {
      // Bad input is the caller's mistake: the typed error's message names the argument and value.
      if (error instanceof ElmanError) return Response.json({ error: error.message, argument: error.argument }, { status: 400 });
      throw error;
    }
  },
};
