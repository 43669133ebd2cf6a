import BacktalkCore
import BacktalkTestSupport
import BacktalkStores
import Foundation
import Testing

#if Postgres
  /// The PostgreSQL store against a real server: the same contract as the SQLite store
  /// (compare-and-set, escalations in the same statement, `end`), two connections as two
  /// processes, and errors that say what to do.
  @Suite(
    .enabled(
      if: PostgresTestServer.enabled, Comment(rawValue: PostgresTestServer.skipReason)))
  struct PostgresSessionStoreTests {
    func store() throws -> any PersistentSessionStore {
      if let reason = PostgresTestServer.unavailable {
        Issue.record("CI=true, and the PostgreSQL tests cannot run: \(reason)")
      }
      let url = try #require(PostgresTestServer.url)
      return try #require(try SessionStoreLocation(parsing: url).open())
    }

    /// A session key no other test (or earlier run) uses.
    func key(_ name: String) -> String { "test-\(name)-\(UUID().uuidString)" }

    @Test func savesAreCompareAndSetOnTheRevision() throws {
      let store = try store()
      #expect(store.kind == "postgres")
      let id = key("cas")
      #expect(try store.load(id) == nil)
      #expect(try store.save(id, snapshot: Array("one".utf8), replacing: nil, escalations: []) == 1)
      #expect(try store.save(id, snapshot: Array("x".utf8), replacing: nil, escalations: []) == nil)
      #expect(try store.save(id, snapshot: Array("two".utf8), replacing: 1, escalations: []) == 2)
      #expect(try store.save(id, snapshot: Array("x".utf8), replacing: 1, escalations: []) == nil)
      let loaded = try #require(try store.load(id))
      #expect(loaded.revision == 2)
      #expect(String(decoding: loaded.snapshot, as: UTF8.self) == "two")
      #expect(loaded.idle < .seconds(5))
      try store.delete(id)
      #expect(try store.load(id) == nil)
    }

    @Test func twoConnectionsSeeEachOthersCommits() throws {
      let a = try store()
      let b = try store()
      let id = key("two")
      _ = try a.save(id, snapshot: Array("{}".utf8), replacing: nil, escalations: [])
      #expect(try b.load(id)?.revision == 1)
      #expect(try b.save(id, snapshot: Array("[]".utf8), replacing: 1, escalations: []) == 2)
      #expect(try a.save(id, snapshot: Array("x".utf8), replacing: 1, escalations: []) == nil)
      try a.delete(id)
    }

    @Test func escalationsAreRecordedWithTheirSaveOnly() throws {
      let store = try store()
      let first = key("esc-a")
      let second = key("esc-b")
      _ = try store.save(
        first, snapshot: [], replacing: nil,
        escalations: [EscalationEntry(session: first, category: "cardiac", turn: 2)])
      _ = try store.save(
        second, snapshot: [], replacing: nil,
        escalations: [
          EscalationEntry(session: second, category: "trauma", turn: 1),
          EscalationEntry(session: second, category: "self_harm", turn: 1),
        ])
      // A refused save records nothing.
      _ = try store.save(
        second, snapshot: [], replacing: 9,
        escalations: [EscalationEntry(session: second, category: "neurological", turn: 4)])
      let ours = try store.escalations(limit: 10_000).filter {
        $0.session == first || $0.session == second
      }
      #expect(ours.map(\.session) == [second, second, first])
      #expect(Set(ours.prefix(2).map(\.category)) == ["trauma", "self_harm"])
      #expect(ours.last?.category == "cardiac" && ours.last?.turn == 2)
      let now = Int64(Date().timeIntervalSince1970 * 1000)
      #expect(ours.allSatisfy { abs($0.time - now) < 60_000 })
      #expect(try store.purge(idleLongerThan: .seconds(365 * 24 * 3600)) >= 0)
      try store.delete(first)
      try store.delete(second)
    }

    @Test func aWrongDatabaseOrAnUnreachableServerSaysSo() throws {
      let url = try #require(PostgresTestServer.url)
      var location = try PostgresLocation(parsing: url)
      location.database = "no_such_database_\(UInt32.random(in: 0...UInt32.max))"
      #expect {
        _ = try SessionStoreLocation.postgres(location).open()
      } throws: { error in
        guard case .unreachable(let reason) = error as? SessionStoreError else { return false }
        return reason.contains("does not exist")
      }
      location = try PostgresLocation(parsing: "postgres://u@127.0.0.1:1/d?sslmode=disable")
      #expect {
        _ = try SessionStoreLocation.postgres(location).open()
      } throws: { error in
        guard case .unreachable(let reason) = error as? SessionStoreError else { return false }
        return reason.contains("cannot connect to postgres://u@127.0.0.1:1/d")
      }
    }
  }
#else
  /// Without the Postgres trait, a PostgreSQL URL is refused with how to get a build that has
  /// it; on CI, whose run builds with the trait, this build is itself a failure.
  @Suite struct PostgresNotInThisBuildTests {
    @Test func aPostgresURLSaysHowToBuildWithIt() {
      #expect(
        !PostgresTestServer.isCI,
        "CI=true but this build lacks the Postgres trait: .ci/run must build with --traits Postgres"
      )
      #expect {
        _ = try SessionStoreLocation(parsing: "postgres://u@localhost/d").open()
      } throws: { error in
        guard case .notInThisBuild(_, let how) = error as? SessionStoreError else { return false }
        return how.contains("--traits Postgres")
      }
    }
  }
#endif
