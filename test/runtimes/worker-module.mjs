// workerd, the way its docs show: import the core as a compiled module and pass it to init().
// The package's default entry (no "workerd" condition), so init() has no module of its own.
import * as elman from '../../dist/index.js';
import wasm from '../../build/elman.wasm';
import { tutorialRuns } from './tutorial.mjs';

export default {
  async fetch(request) {
    const path = new URL(request.url).pathname;
    if (path === '/default') {
      // Without the workerd entry there is no default that works here: init() must say what to do.
      let bytesRefused = null;
      try {
        new WebAssembly.Module(new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0])); // the empty module's 8 bytes
      } catch (error) {
        bytesRefused = String(error);
      }
      try {
        await elman.init();
        return new Response('init() without a module unexpectedly succeeded', { status: 500 });
      } catch (error) {
        return Response.json({ name: error.name, message: error.message, bytesRefused });
      }
    }
    await elman.init(wasm);
    return Response.json(tutorialRuns(elman));
  },
};
