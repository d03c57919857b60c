/** Where log lines go: request lines wait a little (see {@link batchLines}), anything else flushes them and itself at once. */
export interface LineBatch {
  write(line: string): void;
  /** Writes what is pending now: after a line that should not wait (a failure, a start or stop message). */
  flush(): void;
}

/**
 * How long a request line may wait, at most, before it is written (documented in docs/serve.md):
 * short enough that an operator watching the log sees each request as it happens.
 */
export const LINE_WAIT_MS = 50;
/** Once this many characters wait (some 60 request lines), they are written without waiting longer. */
export const LINE_BATCH_CHARS = 16_384;

const unwritten = new Set<() => void>();
let exitHooked = false;

/**
 * A sink for log lines that writes them in batches: the pending lines are written once
 * {@link LINE_BATCH_CHARS} characters wait or {@link LINE_WAIT_MS} after the first of them,
 * whichever comes first. Under load each write system call into a pipe (and the reader it wakes)
 * cost more than the line itself: a write per turn of the event loop, a few requests each, was
 * about a quarter of `serve`'s CPU per request on a quiet machine. Lines still pending when the
 * process exits are written then, synchronously; `flush` writes them at once. Order is kept:
 * every line of a stream goes through its one sink.
 */
export function batchLines(write: (text: string) => void): LineBatch {
  let pending = '';
  const flush = () => {
    if (pending === '') return;
    const text = pending;
    pending = '';
    write(text);
  };
  // One timer for the sink's life, made by its first line and re-armed (`refresh`) by the first
  // line of each batch after. Unref'd: it never keeps the process alive, and the exit hook
  // writes what it would have.
  let timer: NodeJS.Timeout | undefined;
  unwritten.add(flush);
  if (!exitHooked) {
    exitHooked = true;
    process.once('exit', () => unwritten.forEach((pendingFlush) => pendingFlush()));
  }
  return {
    flush,
    write(line) {
      if (pending === '') {
        if (timer === undefined) timer = setTimeout(flush, LINE_WAIT_MS).unref();
        else timer.refresh();
      }
      pending += line;
      if (pending.length >= LINE_BATCH_CHARS) flush();
    },
  };
}
