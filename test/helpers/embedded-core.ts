// Vitest setup: tests import init from src/backends/wasm/core.ts, the entry-free loader; give it the
// embedded core as its default, as the package's default entry does on its first init().
import { useEmbeddedCore } from '../../src/backends/wasm/embedded.js';

useEmbeddedCore();
