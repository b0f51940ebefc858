// elman/plots: Vega-Lite specs for every figure, and a headless SVG renderer (needs the optional vega peers).
export { renderSvg, PLOT_PEERS, type VegaLiteSpec } from './render.js';
export { lossCurveSpec, type LossCurveOptions, type LossSeries } from './loss-curve.js';
export { lossSurfaceSpec, type LossSurfaceOptions, type WeightPath } from './loss-surface.js';
export { gradientFlowSpec, type FlowSeries, type GradientFlowOptions } from './gradient-flow.js';
