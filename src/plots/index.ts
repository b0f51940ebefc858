// elman/plots: Vega-Lite specs for every figure, and a headless SVG renderer (needs the optional vega peers).
export { renderSvg, PLOT_PEERS, type VegaLiteSpec } from './render.js';
export { lossCurveSpec, type LossCurveOptions, type LossSeries } from './loss-curve.js';
export { lossSurfaceSpec, type LossSurfaceOptions, type WeightPath } from './loss-surface.js';
export { gradientFlowSpec, type FlowSeries, type GradientFlowOptions } from './gradient-flow.js';
export { unrolledSpec, unrolledFrames, unrolledCaption, gradientFill, type UnrolledOptions } from './unrolled.js';
export { formatNumber } from './format.js';
export { unrollCounter, type Unrolled } from '../analysis/unrolled.js';
export { RUN_COLORS, MAX_VERTICES, runColorScale, downsampleCurve, simplifyPath } from './runs.js';
export { symlogTicks, logTicks } from './ticks.js';
export { STEP_DOTS_UP_TO } from './loss-surface.js';
export { elmanUnrolledSpec, type ElmanUnrolledOptions } from './elman-unrolled.js';
export { unrollElman, type ElmanUnrolled, type ElmanWeightsLike } from '../analysis/elman-unrolled.js';
export { ADDITION_EXAMPLE, bitsValue, sampleRows, type AdditionExample } from '../analysis/addition-example.js';
