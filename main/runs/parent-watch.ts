/**
 * A child process's watch on its parent: `onGone` runs when the IPC channel to the parent closes (Node's
 * 'disconnect') or when the process is handed to another parent (the parent was killed outright: its children are
 * re-parented to init or a subreaper, and `process.ppid` changes). Checked once a second; the timer does not keep
 * the process alive. A run process that outlived its coordinator would train alone, unseen by anyone.
 */
export function watchParent(onGone: () => void, everyMs = 1000): void {
  const parent = process.ppid;
  process.on('disconnect', onGone);
  setInterval(() => {
    if (process.ppid !== parent) onGone();
  }, everyMs).unref();
}
