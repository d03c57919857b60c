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

/**
 * How many characters of log lines may wait for stdout (written, not yet taken by its reader)
 * before request lines are dropped: some 4,000 request lines, seconds of a busy server's log.
 */
export const REQUEST_BACKLOG_CHARS = 1 << 20;
/** Past this many, the other lines (failures, state changes, start and stop) are dropped too: they wait longer, never without end. */
export const LINE_BACKLOG_CHARS = 8 << 20;

/** Where log lines go: request lines (batches of them) and the others, each bounded by what waits for the stream. */
export interface LogOutput {
  /** Request lines: dropped, and counted, while {@link REQUEST_BACKLOG_CHARS} wait. */
  requests(text: string): void;
  /** Any other line: dropped, and counted, only while {@link LINE_BACKLOG_CHARS} wait. */
  line(text: string): void;
  /** Lines dropped since start (`prc_log_lines_dropped_total`): not taken in time, or the stream closed. */
  dropped(): number;
}

/** What {@link boundedOutput} needs of process.stdout or process.stderr. */
export type LogStream = Pick<NodeJS.WritableStream, 'write' | 'once' | 'on'> & { readonly writableLength: number };

/** What {@link boundedOutput} tells its logger. */
export interface LogOutputEvents {
  /** The stream has taken every waiting line again; `dropped`: the lines dropped since it was last said. */
  drained(dropped: number): void;
  /** The stream failed (its reader closed the pipe: EPIPE), once: every line from then on is dropped. */
  closed(error: NodeJS.ErrnoException): void;
}

const lineCount = (text: string) => text.split('\n').length - 1;

/**
 * Log lines into `stream` (process.stdout, process.stderr) without ever stopping the process
 * for its reader, nor letting the reader stop it. Written synchronously, a pipe nobody reads (a
 * stalled log shipper, `serve | less` left alone) stopped every request once it was full:
 * pino's synchronous destination sleeps and retries until the reader takes the lines.
 * process.stdout writes what the pipe takes and keeps the rest in memory; past a bound, lines
 * are dropped and counted instead, and once the stream has taken everything again, `drained`
 * hears how many were dropped since it last did. A reader that closes the pipe (`serve | head`,
 * a log shipper restarted) makes the stream emit 'error' (EPIPE), which, unheard, ended the
 * process: it is heard here, said once (`closed`), and the lines lost with it, and every line
 * after, are dropped and counted. A file or a terminal is written synchronously by Node:
 * nothing waits, nothing is dropped.
 */
export function boundedOutput(stream: LogStream, events: LogOutputEvents): LogOutput {
  let dropped = 0;
  let unreported = 0;
  let closed = false;
  stream.on('error', (error: NodeJS.ErrnoException) => {
    if (closed) return;
    closed = true;
    events.closed(error);
  });
  // A write the stream could not finish (the pipe closed under it, or while it waited) reports
  // its error to its callback: its lines are lost, and counted. Written lines only cost the call.
  const lost = (text: string) => (error?: Error | null) => {
    if (error) dropped += lineCount(text);
  };
  const drop = (text: string) => {
    // The first dropped line since the last report asks to hear when the stream has caught up.
    if (unreported === 0) {
      stream.once('drain', () => {
        const count = unreported;
        unreported = 0;
        events.drained(count);
      });
    }
    const lines = lineCount(text);
    dropped += lines;
    unreported += lines;
  };
  const within = (limit: number) => (text: string) => {
    if (closed) dropped += lineCount(text);
    else if (stream.writableLength >= limit) drop(text);
    else stream.write(text, lost(text));
  };
  return { requests: within(REQUEST_BACKLOG_CHARS), line: within(LINE_BACKLOG_CHARS), dropped: () => dropped };
}
