/** Entry point of the GitHub Action (bundled into action/index.mjs, see action.yml). */
import { runAction } from './run.js';

process.exitCode = await runAction(process.env, {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
});
