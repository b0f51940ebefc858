// A Cloudflare worker serving forecasts from a model trained by elman and saved in TF.js's format.
//   POST / {"sequences": [[v0, v1, ..., v31], ...]}  ->  {"outputs": [[next 4 values], ...]}
//   GET  /                                          ->  what the model expects
// `import 'elman-rnn'` resolves (the "workerd" export condition) to an entry that brings the .wasm core in
// as a compiled module, which workerd requires; init() then needs no argument.
import { ElmanError, init, Predictor } from 'elman-rnn';
import modelJson from './model/model.json'; // text (wrangler.toml: rule "Text")
import weights from './model/weights.bin'; // ArrayBuffer (wrangler.toml: rule "Data")

let loading;

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
    let body;
    try {
      body = await request.json();
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
