import BacktalkCore
import CSQLite
import Foundation

/// An open SQLite database file.
///
/// A class because it owns the C connection, closed when the last reference goes.
final class SQLiteConnection {
  let handle: OpaquePointer

  /// Opens (creating it if needed) the database at `path`.
  ///
  /// A new file is created with mode 0600 first: it holds health information, and SQLite
  /// gives its write-ahead log the database file's permissions.
  init(path: String) throws(SessionStoreError) {
    let fd = open(path, O_CREAT | O_EXCL | O_WRONLY | O_CLOEXEC, 0o600)
    if fd >= 0 { close(fd) }
    var db: OpaquePointer?
    let flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX
    let status = sqlite3_open_v2(path, &db, flags, nil)
    guard status == SQLITE_OK, let db else {
      let reason = db.map(Self.message) ?? "error \(status)"
      sqlite3_close(db)
      throw .unreachable(
        "cannot open the SQLite database '\(path)': \(reason) (does its folder exist and is it writable?)"
      )
    }
    handle = db
  }

  deinit { sqlite3_close(handle) }

  /// Runs one or more statements that return nothing.
  func execute(_ sql: String) throws(SessionStoreError) {
    guard sqlite3_exec(handle, sql, nil, nil, nil) == SQLITE_OK else {
      throw .failed("'\(sql.prefix(60))...': \(Self.message(handle))")
    }
  }

  /// Prepares a statement.
  func prepare(_ sql: String) throws(SessionStoreError) -> SQLiteStatement {
    try SQLiteStatement(sql, database: handle)
  }

  /// The last error of a connection, in SQLite's words.
  static func message(_ db: OpaquePointer) -> String {
    sqlite3_errmsg(db).map { String(cString: $0) } ?? "unknown error"
  }
}
