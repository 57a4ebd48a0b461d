// Is a file descriptor systemd's journal? systemd sets JOURNAL_STREAM to
// "<device>:<inode>" of the stream it connects a service's stdout/stderr to
// (systemd.exec(5)); a process whose stderr is still that stream (not
// redirected by a shell in between) may prefix lines with a priority.
#pragma once

namespace sohoa {

// True when $JOURNAL_STREAM names `fd`'s device and inode (sd-daemon(3)).
bool IsJournalStream(int fd);

}  // namespace sohoa
