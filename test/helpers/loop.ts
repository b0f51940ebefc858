import type { Binding, Trainable } from '../../src/models/model.js';

/**
 * The same model with its bindings' core capabilities (trainEpochs, trainBatches) hidden: `train`
 * then takes the TypeScript loop, batch by batch, the reference the core's runs are held to.
 */
export function typescriptLoop<W, L extends string>(model: Trainable<W, L>): Trainable<W, L> {
  return {
    params: model.params,
    grads: model.grads,
    get weights() {
      return model.weights;
    },
    weightsOf: (p) => model.weightsOf(p),
    losses: model.losses,
    defaultLoss: model.defaultLoss,
    place: (data) => model.place(data),
    bind: (data, options) => {
      const b = model.bind(data, options);
      const plain: Binding = { samples: b.samples, steps: b.steps, batches: b.batches, batchLength: (i) => b.batchLength(i), lossAndGrad: (i) => b.lossAndGrad(i), dispose: () => b.dispose() };
      if (b.shuffle) plain.shuffle = (order) => b.shuffle!(order);
      return plain;
    },
  };
}
