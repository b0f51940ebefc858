// workerd through the package's "workerd" export condition (dist/workerd.js): init() needs no argument.
import * as elman from '../../dist/workerd.js';
import { tutorialRuns } from './tutorial.mjs';

export default {
  async fetch() {
    await elman.init();
    return Response.json(tutorialRuns(elman));
  },
};
