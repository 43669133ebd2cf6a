#include <sqlite3.h>

// SQLITE_TRANSIENT is a macro casting -1 to a function pointer, which Swift cannot import:
// these bind a copy of the bytes, so the Swift buffer may go away once they return.

/// Binds a copy of `length` bytes of UTF-8 text to parameter `index` (1-based).
static inline int backtalk_sqlite3_bind_text(sqlite3_stmt *statement, int index,
                                             const char *text, int length) {
  return sqlite3_bind_text(statement, index, text, length, SQLITE_TRANSIENT);
}
