/**
 * Preloaded (`node --import`) into bench children that talk to the bench over IPC: when the
 * channel closes, the bench is gone (ended, crashed, or killed by SIGKILL, which no handler of
 * its own sees), and so is the reason to run: the child exits instead of running on for minutes
 * under valgrind, orphaned. The bench's own side is `bench/lib/lifetime.ts`.
 */
if (process.send !== undefined) {
  // Already closed (the bench died while this process was still loading its modules): now.
  if (!process.connected) process.exit(1);
  process.once('disconnect', () => process.exit(1));
}
