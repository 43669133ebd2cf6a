import BacktalkCore
import BacktalkStores
import Foundation
import Testing

/// The SQLite store against a real file: the revision check, escalations in the same
/// transaction, `end`, expiry, a second connection (another process) seeing every commit, and
/// errors an operator can act on.
@Suite struct SQLiteSessionStoreTests {
  /// A fresh database file, removed (with its WAL files) when the test ends.
  final class TemporaryDatabase {
    let path: String
    init() {
      path =
        FileManager.default.temporaryDirectory
        .appendingPathComponent("backtalk-store-\(UUID().uuidString).db").path
    }
    deinit {
      for suffix in ["", "-wal", "-shm"] {
        try? FileManager.default.removeItem(atPath: path + suffix)
      }
    }
  }

  @Test func savesAreCompareAndSetOnTheRevision() throws {
    let file = TemporaryDatabase()
    let store = try SQLiteSessionStore(path: file.path)
    #expect(try store.load("a") == nil)
    let first = try store.save("a", snapshot: Array("one".utf8), replacing: nil, escalations: [])
    #expect(first == 1)
    // A second insert of the same session, or a save over a revision that is gone, is refused.
    #expect(try store.save("a", snapshot: Array("x".utf8), replacing: nil, escalations: []) == nil)
    #expect(try store.save("a", snapshot: Array("two".utf8), replacing: 1, escalations: []) == 2)
    #expect(try store.save("a", snapshot: Array("x".utf8), replacing: 1, escalations: []) == nil)
    let loaded = try #require(try store.load("a"))
    #expect(loaded.revision == 2)
    #expect(String(decoding: loaded.snapshot, as: UTF8.self) == "two")
    #expect(loaded.idle < .seconds(5))
  }

  @Test func aSecondConnectionSeesEveryCommit() throws {
    let file = TemporaryDatabase()
    let writer = try SQLiteSessionStore(path: file.path)
    let reader = try SQLiteSessionStore(path: file.path)
    _ = try writer.save("a", snapshot: Array("{}".utf8), replacing: nil, escalations: [])
    #expect(try reader.load("a")?.revision == 1)
    #expect(try reader.save("a", snapshot: Array("[]".utf8), replacing: 1, escalations: []) == 2)
    #expect(try writer.save("a", snapshot: Array("x".utf8), replacing: 1, escalations: []) == nil)
  }

  @Test func escalationsAreKeptNewestFirstAndOutliveTheSession() throws {
    let file = TemporaryDatabase()
    let store = try SQLiteSessionStore(path: file.path)
    _ = try store.save(
      "a", snapshot: [], replacing: nil,
      escalations: [EscalationEntry(session: "a", category: "cardiac", turn: 2)])
    _ = try store.save(
      "b", snapshot: [], replacing: nil,
      escalations: [EscalationEntry(session: "b", category: "self_harm", turn: 5)])
    // A refused save records nothing.
    _ = try store.save(
      "b", snapshot: [], replacing: 7,
      escalations: [EscalationEntry(session: "b", category: "trauma", turn: 6)])
    try store.delete("a")
    #expect(try store.load("a") == nil)
    let listed = try store.escalations(limit: 10)
    #expect(listed.map(\.session) == ["b", "a"])
    #expect(listed.map(\.category) == ["self_harm", "cardiac"])
    #expect(listed.map(\.turn) == [5, 2])
    let now = Int64(Date().timeIntervalSince1970 * 1000)
    #expect(listed.allSatisfy { abs($0.time - now) < 60_000 })
    #expect(try store.escalations(limit: 1).count == 1)
  }

  @Test func purgeForgetsIdleSessions() throws {
    let file = TemporaryDatabase()
    let store = try SQLiteSessionStore(path: file.path)
    _ = try store.save("a", snapshot: [], replacing: nil, escalations: [])
    #expect(try store.purge(idleLongerThan: .seconds(60)) == 0)
    Thread.sleep(forTimeInterval: 0.01)
    #expect(try store.purge(idleLongerThan: .zero) == 1)
    #expect(try store.load("a") == nil)
  }

  /// Sessions are health information: a new file, and its write-ahead log, are the owner's
  /// only.
  @Test func aNewFileIsTheOwnersOnly() throws {
    let file = TemporaryDatabase()
    let store = try SQLiteSessionStore(path: file.path)
    _ = try store.save("a", snapshot: [], replacing: nil, escalations: [])
    for suffix in ["", "-wal"] {
      let attributes = try FileManager.default.attributesOfItem(atPath: file.path + suffix)
      #expect((attributes[.posixPermissions] as? Int) == 0o600, "\(suffix)")
    }
  }

  @Test func anUnopenableFileSaysWhereAndWhy() {
    #expect {
      _ = try SQLiteSessionStore(path: "/nonexistent-folder-\(UUID().uuidString)/s.db")
    } throws: { error in
      guard case .unreachable(let reason) = error as? SessionStoreError else { return false }
      return reason.contains("nonexistent-folder") && reason.contains("folder exist")
    }
  }

  @Test func aFileThatIsNotADatabaseIsRefused() throws {
    let file = TemporaryDatabase()
    try Data(repeating: 0x41, count: 4096).write(to: URL(fileURLWithPath: file.path))
    #expect(throws: SessionStoreError.self) { _ = try SQLiteSessionStore(path: file.path) }
  }
}
