// Test-only: the glibc functions the process tests need that Swift's Glibc module hides
// (they are declared only under _GNU_SOURCE or _XOPEN_SOURCE, which the module is not built
// with). Declared here with glibc's own signatures; they are in libc, so nothing is linked.
#include <stddef.h>
#include <spawn.h>

int pipe2(int fds[2], int flags);
int posix_openpt(int flags);
int grantpt(int fd);
int unlockpt(int fd);
int ptsname_r(int fd, char *buffer, size_t length);
int posix_spawn_file_actions_addchdir_np(posix_spawn_file_actions_t *actions, const char *path);

/// glibc's POSIX_SPAWN_SETSID (also only declared under _GNU_SOURCE): the child starts a new
/// session, so the terminal it opens first becomes its controlling terminal.
static inline short backtalk_spawn_setsid_flag(void) { return 0x80; }
