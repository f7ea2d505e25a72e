/**
 * What the CLI does at a terminal: the confirmation prompt, and what SIGINT and SIGTERM mean while
 * a command changes a cluster.
 */
import { openSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { WriteStream } from 'node:tty';
import { InterruptedError } from '../errors.js';
import { EXIT } from '../commands/exit.js';

/**
 * Where the prompt goes: stderr when it is the terminal (stdout may be piped, as in
 * `kafkaform apply | tee log`), else the controlling terminal, else stderr all the same.
 */
function promptOutput(): { stream: NodeJS.WritableStream; close(): void } {
  if (process.stderr.isTTY) return { stream: process.stderr, close: () => undefined };
  try {
    const tty = new WriteStream(openSync('/dev/tty', 'w'));
    return { stream: tty, close: () => tty.destroy() };
  } catch {
    return { stream: process.stderr, close: () => undefined };
  }
}

/**
 * Asks `question` on the terminal (stdin). Resolves with the answer, or with null when the person
 * pressed Ctrl+C or Ctrl+D, the input ended, or `signal` aborted (SIGINT or SIGTERM).
 */
export function ask(question: string, signal?: AbortSignal): Promise<string | null> {
  if (signal?.aborted === true) return Promise.resolve(null);
  const output = promptOutput();
  const rl = createInterface({ input: process.stdin, output: output.stream, terminal: process.stdin.isTTY === true });
  return new Promise((resolve) => {
    let settled = false;
    const finish = (answer: string | null): void => {
      if (settled) return;
      settled = true;
      signal?.removeEventListener('abort', onAbort);
      // Without an answer the cursor is still on the prompt's line.
      if (answer === null) output.stream.write('\n');
      rl.close();
      output.close();
      resolve(answer);
    };
    const onAbort = (): void => finish(null);
    signal?.addEventListener('abort', onAbort, { once: true });
    rl.on('SIGINT', () => finish(null));
    rl.on('close', () => finish(null));
    rl.question(question, (answer) => finish(answer));
  });
}

/**
 * Runs `fn` with a signal that the first SIGINT or SIGTERM aborts, so `fn` can start nothing new,
 * let what runs finish and report. A second signal ends the process at once (exit 130).
 */
export async function interruptible<T>(fn: (interrupted: AbortSignal) => Promise<T>): Promise<T> {
  const controller = new AbortController();
  const onSignal = (name: NodeJS.Signals): void => {
    if (!controller.signal.aborted) {
      controller.abort(new InterruptedError(`interrupted by ${name}`));
      return;
    }
    process.stderr.write(`Interrupted again (${name}): exiting at once; operations in flight may or may not have taken effect, run plan to see.\n`);
    process.exit(EXIT.interrupted);
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  try {
    return await fn(controller.signal);
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}
