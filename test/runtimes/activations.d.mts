// Types of test/runtimes/activations.mjs for the TypeScript tests that import it.
import type * as Elman from '../../src/index.js';

export function through(elman: typeof Elman, act: 'tanh' | 'sigmoid', xs: Float32Array): Float32Array;
export function grid(): Float32Array;
export function activationBits(elman: typeof Elman): { features: Elman.CoreFeatures; tanh: string; sigmoid: string };
