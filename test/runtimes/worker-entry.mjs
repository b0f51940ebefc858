// workerd through the package's "workerd" export condition, as wrangler resolves 'elman-rnn': init() needs no argument.
import * as elman from 'elman-rnn';
import { tutorialRuns } from './tutorial.mjs';

export default {
  async fetch() {
    await elman.init();
    return Response.json(tutorialRuns(elman));
  },
};
