import BacktalkCore
import Foundation

/// A ``PersistentSessionStore`` in a dictionary, for testing the service's side of the
/// contract (write-through, revisions, conflicts, failures) without a database.
final class FakeSessionStore: PersistentSessionStore, @unchecked Sendable {
  // Unchecked: every field is only touched with `lock` held.
  private let lock = NSLock()
  private var rows: [String: (revision: Int64, snapshot: [UInt8], idle: Duration)] = [:]
  private var recorded: [EscalationEntry] = []
  private var failing = false
  private var clock: Int64 = 0
  /// How many saves were attempted.
  private(set) var saves = 0

  var kind: String { "fake" }

  /// Makes every call fail (the database went away) or work again.
  func setFailing(_ on: Bool) { lock.withLock { failing = on } }

  /// Ages every row by `duration` (idle time as the store's clock sees it).
  func age(_ duration: Duration) {
    lock.withLock { for key in rows.keys { rows[key]?.idle += duration } }
  }

  /// The stored snapshot of a session, decoded.
  func snapshot(_ id: String) throws -> SessionSnapshot? {
    try lock.withLock { rows[id] }.map { try SessionSnapshot(decoding: $0.snapshot) }
  }

  func load(_ id: String) throws(SessionStoreError) -> StoredSession? {
    lock.lock()
    defer { lock.unlock() }
    if failing { throw .unreachable("the test made it fail") }
    return rows[id].map {
      StoredSession(revision: $0.revision, snapshot: $0.snapshot, idle: $0.idle)
    }
  }

  func save(
    _ id: String, snapshot: [UInt8], replacing revision: Int64?, escalations: [EscalationEntry]
  ) throws(SessionStoreError) -> Int64? {
    lock.lock()
    defer { lock.unlock() }
    saves += 1
    if failing { throw .unreachable("the test made it fail") }
    guard rows[id]?.revision == revision else { return nil }
    let next = (revision ?? 0) + 1
    rows[id] = (next, snapshot, .zero)
    for var entry in escalations {
      clock += 1
      entry.time = clock
      recorded.append(entry)
    }
    return next
  }

  func delete(_ id: String) throws(SessionStoreError) {
    lock.lock()
    defer { lock.unlock() }
    if failing { throw .unreachable("the test made it fail") }
    rows[id] = nil
  }

  func escalations(limit: Int) throws(SessionStoreError) -> [EscalationEntry] {
    lock.withLock { Array(recorded.reversed().prefix(limit)) }
  }

  func purge(idleLongerThan idle: Duration) throws(SessionStoreError) -> Int {
    lock.withLock {
      let old = rows.filter { $0.value.idle > idle }.map(\.key)
      for key in old { rows[key] = nil }
      return old.count
    }
  }
}
