// k6 run -e BASE_URL=http://127.0.0.1:8787 load/restart.k6.js   (see load/k6-common.js for the environment)
import { iterate, options as optionsFor, setup } from './k6-common.js';

export const options = optionsFor('restart');
export { setup };
export default function (data) {
  iterate('restart', data);
}
