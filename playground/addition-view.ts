// The Elman network on binary addition: train it in the worker, then draw one held-out sum unrolled.
import { bitsValue, elmanUnrolledSpec, renderSvg, unrollElman } from '../src/plots/index.js';
import type { Reply, Request } from './protocol.js';

const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;

export class AdditionView {
  /** The job whose answer is awaited; older answers are dropped. */
  private job = 0;

  constructor(private readonly send: (m: Request) => void) {
    $('addition-form').addEventListener('submit', (event) => {
      event.preventDefault();
      const field = $<HTMLInputElement>('addition-epochs');
      const epochs = field.value.trim() === '' ? NaN : Number(field.value);
      if (!Number.isInteger(epochs) || epochs < 1 || epochs > 200) {
        $('addition-status').textContent = `error: epochs must be an integer from 1 to 200, got ${field.value.trim() === '' ? 'an empty field' : field.value.trim()}`;
        return;
      }
      $('addition-status').textContent = `training ${epochs} epochs (${epochs * 20} updates)…`;
      this.send({ type: 'addition', job: ++this.job, epochs });
    });
  }

  /** A worker reply about a job of this view (the trained network, or why not); older jobs are dropped. */
  receive(m: Extract<Reply, { type: 'addition' | 'error' }>): void {
    if (m.job !== this.job) return;
    if (m.type === 'error') $('addition-status').textContent = `error: ${m.message}`;
    else void this.draw(m);
  }

  private async draw(m: Extract<Reply, { type: 'addition' }>): Promise<void> {
    const u = unrollElman(m.weights, m.x, m.targets);
    const [a, b, sum, said] = [m.x.map((r) => r[0]!), m.x.map((r) => r[1]!), m.targets.map((r) => r[0]!), u.outputs.map((r) => r[0]!)].map(bitsValue);
    const svg = await renderSvg(elmanUnrolledSpec(u, { inputNames: ['a', 'b'], title: `${a} + ${b} = ${sum}, bits least significant first: the network says ${said}` }));
    if (m.job !== this.job) return;
    $('addition-figure').innerHTML = svg;
    $('addition-status').textContent = `after ${m.epochs} epochs (loss ${m.loss.toPrecision(3)}): ${a} + ${b} = ${sum}, the network says ${said}`;
  }
}
