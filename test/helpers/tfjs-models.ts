import * as tf from '@tensorflow/tfjs';
import type { TfjsArtifacts } from '../../src/interop/tfjs-format.js';

/** What `model.save` hands a save handler. */
export async function artifactsOf(model: tf.LayersModel): Promise<TfjsArtifacts> {
  let saved: tf.io.ModelArtifacts | undefined;
  await model.save(tf.io.withSaveHandler(async (a) => ((saved = a), { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } })));
  return saved as unknown as TfjsArtifacts;
}

/** Batch-major [N][steps][width] from time-major [steps][N][width], and back. */
export function batchMajor(a: Float32Array, steps: number, n: number, width: number): Float32Array {
  const out = new Float32Array(a.length);
  for (let k = 0; k < steps; k++) for (let s = 0; s < n; s++) for (let i = 0; i < width; i++) out[(s * steps + k) * width + i] = a[(k * n + s) * width + i]!;
  return out;
}

/** TF.js's prediction, in elman's time-major layout. */
export function tfPredict(model: tf.LayersModel, x: Float32Array, steps: number, n: number, I: number, seq: boolean, O: number): Float32Array {
  const out = tf.tidy(() => (model.predict(tf.tensor3d(batchMajor(x, steps, n, I), [n, steps, I])) as tf.Tensor).dataSync() as Float32Array);
  return seq ? batchMajor(out, n, steps, O) : out; // [N][steps][O] -> [steps][N][O] is the same transpose
}
