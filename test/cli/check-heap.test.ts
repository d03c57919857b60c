import { afterEach, describe, expect, it, vi } from 'vitest';

// The figure itself (peak RSS against a connector sending the largest body the 1 MiB limit lets
// through) is measured by bench/check-memory.ts; this pins that `check` asks V8 to collect early,
// which took that figure from 262-307 MB to 173-181 MB (goal: under 256 MB).
const setFlagsFromString = vi.hoisted(() => vi.fn());
vi.mock('node:v8', async (importOriginal) => ({ ...(await importOriginal<typeof import('node:v8')>()), setFlagsFromString }));

afterEach(() => {
  setFlagsFromString.mockClear();
});

describe('check keeps its heap small whatever a connector sends', () => {
  it('asks V8 to optimize for size before any body is read', async () => {
    const { checkCommand } = await import('../../src/cli/check.js');
    const write = vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
    try {
      expect(await checkCommand.main(['--help'])).toBe(0);
    } finally {
      write.mockRestore();
    }
    expect(setFlagsFromString).toHaveBeenCalledWith('--optimize-for-size');
  });
});
