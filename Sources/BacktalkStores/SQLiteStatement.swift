import BacktalkCore
import CSQLite

/// A prepared SQLite statement, prepared once and reset after each use.
///
/// A class because it owns the C statement, which is finalized when the last reference goes.
final class SQLiteStatement {
  private let handle: OpaquePointer
  private let database: OpaquePointer

  init(_ sql: String, database: OpaquePointer) throws(SessionStoreError) {
    var statement: OpaquePointer?
    guard sqlite3_prepare_v2(database, sql, -1, &statement, nil) == SQLITE_OK, let statement
    else {
      throw .failed("cannot prepare '\(sql)': \(SQLiteConnection.message(database))")
    }
    handle = statement
    self.database = database
  }

  deinit { sqlite3_finalize(handle) }

  /// Binds text (copied) to parameter `index`, 1-based.
  func bind(_ index: Int32, _ text: String) { bind(index, utf8: Array(text.utf8)) }

  /// Binds UTF-8 bytes as text (copied) to parameter `index`.
  func bind(_ index: Int32, utf8 bytes: [UInt8]) {
    bytes.withUnsafeBufferPointer { buffer in
      let count = Int32(buffer.count)
      guard let base = buffer.baseAddress else {
        // An empty text, not NULL (a nil pointer would bind NULL).
        _ = backtalk_sqlite3_bind_text(handle, index, "", 0)
        return
      }
      base.withMemoryRebound(to: CChar.self, capacity: buffer.count) {
        _ = backtalk_sqlite3_bind_text(handle, index, $0, count)
      }
    }
  }

  /// Binds an integer to parameter `index`.
  func bind(_ index: Int32, _ value: Int64) { sqlite3_bind_int64(handle, index, value) }

  /// Runs the statement to its end, discarding rows; returns the rows it changed.
  @discardableResult
  func run() throws(SessionStoreError) -> Int {
    defer { reset() }
    var status = sqlite3_step(handle)
    while status == SQLITE_ROW { status = sqlite3_step(handle) }
    guard status == SQLITE_DONE else {
      throw .failed(SQLiteConnection.message(database))
    }
    return Int(sqlite3_changes(database))
  }

  /// Steps to the next row: true when there is one, false at the end.
  func next() throws(SessionStoreError) -> Bool {
    switch sqlite3_step(handle) {
    case SQLITE_ROW: return true
    case SQLITE_DONE: return false
    default: throw .failed(SQLiteConnection.message(database))
    }
  }

  /// Makes the statement ready to run again (bindings are replaced by the next run's).
  func reset() {
    sqlite3_reset(handle)
    sqlite3_clear_bindings(handle)
  }

  /// Column `index` of the current row as an integer.
  func int64(_ index: Int32) -> Int64 { sqlite3_column_int64(handle, index) }

  /// Column `index` of the current row as UTF-8 bytes.
  func bytes(_ index: Int32) -> [UInt8] {
    let count = Int(sqlite3_column_bytes(handle, index))
    guard count > 0, let base = sqlite3_column_text(handle, index) else { return [] }
    return Array(UnsafeBufferPointer(start: base, count: count))
  }

  /// Column `index` of the current row as a string.
  func text(_ index: Int32) -> String { String(decoding: bytes(index), as: UTF8.self) }
}
