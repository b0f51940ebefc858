import { expect, test, vi } from 'vitest';

// Without the optional peers, rendering fails with an error that says what to install; specs still build.
vi.mock('vega', () => {
  throw new Error("Cannot find package 'vega'");
});

test('renderSvg without vega installed names the peers and the install command', async () => {
  const { renderSvg } = await import('../../src/plots/render.js');
  const { lossCurveSpec } = await import('../../src/plots/loss-curve.js');
  const spec = lossCurveSpec([{ name: 'a', loss: [2, 1] }]);
  expect((spec.layer as { mark: unknown }[])[0]!.mark).toEqual({ type: 'line', strokeWidth: 1.5 });
  const error = (await renderSvg(spec).then(() => null, (e: unknown) => e)) as (Error & { argument: string }) | null;
  expect(error).toBeInstanceOf(Error);
  expect(error!.name).toBe('ElmanError');
  expect(error!.argument).toBe('vega');
  expect(error!.message).toMatch(/^plots need the optional peer dependencies vega@6\.4\.0 vega-lite@6\.5\.0 \(npm install -E vega@6\.4\.0 vega-lite@6\.5\.0\): /);
});
