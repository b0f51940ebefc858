import { ConfigError, ElmanError } from '../errors.js';

/**
 * A Vega-Lite specification as plain JSON: what every `*Spec` builder returns, renderable anywhere Vega runs.
 * @category Plots
 */
export type VegaLiteSpec = Record<string, unknown>;

/** The exact versions elman's plots are tested with; they are optional peer dependencies. */
export const PLOT_PEERS = 'vega@6.4.0 vega-lite@6.5.0';

/**
 * A spec builder's options, checked (undefined counts as empty): only `keys`, a string `title`,
 * `width`/`height` in [1, 10000] CSS pixels, a boolean `log`.
 */
export function plotOptions<T extends object>(options: T | undefined, keys: readonly (keyof T & string)[]): Partial<T> {
  if (options === undefined) return {};
  if (typeof options !== 'object' || options === null) throw new ConfigError('options', options, `an object with some of ${keys.join(', ')}`);
  const o = options as Record<string, unknown>;
  for (const k of Object.keys(o)) if (!(keys as readonly string[]).includes(k)) throw new ConfigError(`options.${k}`, o[k], `absent: the options are ${keys.join(', ')}`);
  if (o.title !== undefined && typeof o.title !== 'string') throw new ConfigError('title', o.title, 'a string');
  for (const k of ['width', 'height']) if (o[k] !== undefined && !(typeof o[k] === 'number' && o[k] >= 1 && o[k] <= 10000)) throw new ConfigError(k, o[k], 'a number of CSS pixels in [1, 10000]');
  if (o.log !== undefined && typeof o.log !== 'boolean') throw new ConfigError('log', o.log, 'a boolean');
  return options;
}

type Vega = typeof import('vega');
type VegaLite = typeof import('vega-lite');

let libs: Promise<[Vega, VegaLite]> | undefined;

/**
 * Render a Vega-Lite spec to an SVG document string, headless (no canvas, no DOM), in Node and in
 * browsers alike. Loads `vega` and `vega-lite` on first use; throws an ElmanError naming them if absent.
 * @example
 * ```ts
 * import { lossCurveSpec, renderSvg } from 'elman-rnn/plots';
 *
 * const spec = lossCurveSpec([{ name: 'adam', loss: [4, 2, 1, 0.5, 0.3] }]);   // plain Vega-Lite JSON
 * const svg = await renderSvg(spec);   // needs the optional peers vega and vega-lite installed
 * console.log(svg.startsWith('<svg'));
 * ```
 * @category Plots
 */
export async function renderSvg(spec: VegaLiteSpec): Promise<string> {
  if (typeof spec !== 'object' || spec === null) throw new ElmanError(`spec must be a Vega-Lite object, got ${spec === null ? 'null' : typeof spec}`, 'spec', spec);
  libs ??= Promise.all([import('vega'), import('vega-lite')]).catch((error: unknown) => {
    libs = undefined;
    throw new ElmanError(`plots need the optional peer dependencies ${PLOT_PEERS} (npm install -E ${PLOT_PEERS}): ${String(error)}`, 'vega', undefined);
  });
  const [vega, vegaLite] = await libs;
  const view = new vega.View(vega.parse(vegaLite.compile(spec as never).spec), { renderer: 'none' });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}
