// A minimal progress bar for long CLI work (stderr, redrawn in place when it is a terminal).
export function progressBar(label: string, total: number): { tick(n?: number): void; done(): void } {
  let done = 0;
  const started = Date.now();
  const draw = () => {
    const width = 30;
    const filled = Math.round((done / total) * width);
    const line = `${label} [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${done}/${total} ${((Date.now() - started) / 1000).toFixed(1)}s`;
    if (process.stderr.isTTY) process.stderr.write(`\r${line}`);
  };
  draw();
  return {
    tick(n = 1) {
      done = Math.min(total, done + n);
      draw();
    },
    done() {
      done = total;
      draw();
      process.stderr.write(
        process.stderr.isTTY
          ? '\n'
          : `${label}: ${total}/${total} in ${((Date.now() - started) / 1000).toFixed(1)}s\n`,
      );
    },
  };
}
