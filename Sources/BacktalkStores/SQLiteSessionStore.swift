import BacktalkCore
import Foundation

/// Sessions in an SQLite file (`--sessions sqlite:PATH`): the embedded store, for one machine.
///
/// Write-ahead logging with `synchronous=NORMAL`: a commit is in the file's log when `save`
/// returns, so a process killed with SIGKILL loses nothing it had answered (a power cut may
/// lose the last commits; the operating system had them, the disk not yet). Several processes
/// on one machine may share the file: SQLite locks it, waits up to five seconds for a lock,
/// and the revision check keeps their turns apart.
///
/// A final class: it owns the connection and its prepared statements. Every method takes the
/// lock, so it is safe to share (`serve` calls it from its one answering thread).
public final class SQLiteSessionStore: PersistentSessionStore, @unchecked Sendable {
  // Unchecked: the connection and statements are only used with `lock` held.
  private let lock = NSLock()
  private let db: SQLiteConnection
  private let selectSession: SQLiteStatement
  private let insertSession: SQLiteStatement
  private let updateSession: SQLiteStatement
  private let deleteSession: SQLiteStatement
  private let insertEscalation: SQLiteStatement
  private let selectEscalations: SQLiteStatement
  private let purgeSessions: SQLiteStatement

  /// Runs `step`, again after a short pause while SQLite reports the file locked or busy.
  static func retryingWhileLocked(
    _ step: () throws(SessionStoreError) -> Void
  ) throws(SessionStoreError) {
    var attempt = 0
    while true {
      do throws(SessionStoreError) {
        try step()
        return
      } catch {
        let message: String
        switch error {
        case .unreachable(let text), .failed(let text): message = text
        default: throw error
        }
        guard attempt < 50, message.contains("locked") || message.contains("busy") else {
          throw error
        }
        attempt += 1
        usleep(20_000)
      }
    }
  }

  /// The database layout this build writes (`PRAGMA user_version`).
  static let schemaVersion: Int64 = 1

  /// Opens the store at `path`, creating the file and its tables when needed.
  ///
  /// - Throws: ``SessionStoreError/unreachable(_:)`` when the file cannot be opened or was
  ///   written by a newer build.
  public init(path: String) throws(SessionStoreError) {
    db = try SQLiteConnection(path: path)
    do throws(SessionStoreError) {
      try db.execute("PRAGMA busy_timeout = 5000")
      // Switching to WAL takes the file for itself, and SQLite answers "database is locked" at
      // once, without its busy handler, when another process is opening the same new file
      // (two `serve` processes started together): retried for up to a second.
      let connection = db
      try Self.retryingWhileLocked { () throws(SessionStoreError) in
        try connection.execute("PRAGMA journal_mode = WAL")
      }
      try db.execute("PRAGMA synchronous = NORMAL")
      let version = try db.prepare("PRAGMA user_version")
      let found = try version.next() ? version.int64(0) : 0
      version.reset()
      guard found <= Self.schemaVersion else {
        throw SessionStoreError.unreachable(
          "'\(path)' was written by a newer backtalk (schema \(found), this build knows \(Self.schemaVersion))"
        )
      }
      try db.execute(
        """
        BEGIN IMMEDIATE;
        CREATE TABLE IF NOT EXISTS sessions (
          id TEXT PRIMARY KEY NOT NULL,
          revision INTEGER NOT NULL,
          updated_ms INTEGER NOT NULL,
          state TEXT NOT NULL
        ) WITHOUT ROWID;
        CREATE INDEX IF NOT EXISTS sessions_updated ON sessions (updated_ms);
        CREATE TABLE IF NOT EXISTS escalations (
          seq INTEGER PRIMARY KEY,
          session TEXT NOT NULL,
          category TEXT NOT NULL,
          turn INTEGER NOT NULL,
          time_ms INTEGER NOT NULL
        );
        PRAGMA user_version = \(Self.schemaVersion);
        COMMIT;
        """)
    } catch {
      throw error.opening(path)
    }
    selectSession = try db.prepare("SELECT revision, updated_ms, state FROM sessions WHERE id = ?1")
    insertSession = try db.prepare(
      "INSERT INTO sessions (id, revision, updated_ms, state) VALUES (?1, 1, ?2, ?3) ON CONFLICT (id) DO NOTHING"
    )
    updateSession = try db.prepare(
      "UPDATE sessions SET revision = revision + 1, updated_ms = ?2, state = ?3 WHERE id = ?1 AND revision = ?4"
    )
    deleteSession = try db.prepare("DELETE FROM sessions WHERE id = ?1")
    insertEscalation = try db.prepare(
      "INSERT INTO escalations (session, category, turn, time_ms) VALUES (?1, ?2, ?3, ?4)")
    selectEscalations = try db.prepare(
      "SELECT session, category, turn, time_ms FROM escalations ORDER BY time_ms DESC, seq DESC LIMIT ?1"
    )
    purgeSessions = try db.prepare("DELETE FROM sessions WHERE updated_ms < ?1")
  }

  /// `sqlite`.
  public var kind: String { "sqlite" }

  /// The session `id` as stored, or nil.
  public func load(_ id: String) throws(SessionStoreError) -> StoredSession? {
    lock.lock()
    defer { lock.unlock() }
    selectSession.bind(1, id)
    defer { selectSession.reset() }
    guard try selectSession.next() else { return nil }
    let idle = max(0, Self.nowMilliseconds() - selectSession.int64(1))
    return StoredSession(
      revision: selectSession.int64(0), snapshot: selectSession.bytes(2),
      idle: .milliseconds(idle))
  }

  /// Saves if the stored revision is still `revision` (escalations in the same transaction);
  /// the new revision, or nil when the row changed first.
  public func save(
    _ id: String, snapshot: [UInt8], replacing revision: Int64?, escalations: [EscalationEntry]
  ) throws(SessionStoreError) -> Int64? {
    lock.lock()
    defer { lock.unlock() }
    let now = Self.nowMilliseconds()
    // One statement commits on its own; escalations go in the same transaction as the state.
    let transaction = !escalations.isEmpty
    if transaction { try db.execute("BEGIN IMMEDIATE") }
    do throws(SessionStoreError) {
      let changed: Int
      if let revision {
        updateSession.bind(1, id)
        updateSession.bind(2, now)
        updateSession.bind(3, utf8: snapshot)
        updateSession.bind(4, revision)
        changed = try updateSession.run()
      } else {
        insertSession.bind(1, id)
        insertSession.bind(2, now)
        insertSession.bind(3, utf8: snapshot)
        changed = try insertSession.run()
      }
      guard changed == 1 else {
        if transaction { try db.execute("ROLLBACK") }
        return nil
      }
      for entry in escalations {
        insertEscalation.bind(1, entry.session)
        insertEscalation.bind(2, entry.category)
        insertEscalation.bind(3, Int64(entry.turn))
        insertEscalation.bind(4, now)
        try insertEscalation.run()
      }
      if transaction { try db.execute("COMMIT") }
      return (revision ?? 0) + 1
    } catch {
      if transaction { try? db.execute("ROLLBACK") }
      throw error
    }
  }

  /// Forgets a session; its escalations stay.
  public func delete(_ id: String) throws(SessionStoreError) {
    lock.lock()
    defer { lock.unlock() }
    deleteSession.bind(1, id)
    try deleteSession.run()
  }

  /// Recorded escalations, newest first.
  public func escalations(limit: Int) throws(SessionStoreError) -> [EscalationEntry] {
    lock.lock()
    defer { lock.unlock() }
    selectEscalations.bind(1, Int64(max(0, limit)))
    defer { selectEscalations.reset() }
    var entries: [EscalationEntry] = []
    while try selectEscalations.next() {
      entries.append(
        EscalationEntry(
          session: selectEscalations.text(0), category: selectEscalations.text(1),
          turn: Int(selectEscalations.int64(2)), time: selectEscalations.int64(3)))
    }
    return entries
  }

  /// Deletes sessions idle longer than `idle`; how many.
  @discardableResult
  public func purge(idleLongerThan idle: Duration) throws(SessionStoreError) -> Int {
    lock.lock()
    defer { lock.unlock() }
    let cutoff = Self.nowMilliseconds() - idle.components.seconds * 1000
    purgeSessions.bind(1, cutoff)
    return try purgeSessions.run()
  }

  /// The wall clock in milliseconds since 1970 (shared with other processes, unlike the
  /// monotonic clock the service uses in memory).
  static func nowMilliseconds() -> Int64 {
    Int64((Date().timeIntervalSince1970 * 1000).rounded())
  }
}

extension SessionStoreError {
  /// The same failure, said to be about opening `path`.
  fileprivate func opening(_ path: String) -> SessionStoreError {
    switch self {
    case .failed(let reason):
      return .unreachable("cannot set up the SQLite database '\(path)': \(reason)")
    default: return self
    }
  }
}
