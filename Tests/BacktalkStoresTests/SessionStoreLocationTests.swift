import BacktalkCore
import BacktalkStores
import Testing

/// `--sessions` values: every documented form parses to what it says, and a bad one is an
/// error naming what is wrong (never a guess, never a crash).
@Suite struct SessionStoreLocationTests {
  @Test(arguments: [
    ("memory", SessionStoreLocation.memory),
    ("sqlite:sessions.db", .sqlite(path: "sessions.db")),
    ("sqlite:/var/lib/backtalk/s.db", .sqlite(path: "/var/lib/backtalk/s.db")),
    ("sqlite:///var/lib/backtalk/s.db", .sqlite(path: "/var/lib/backtalk/s.db")),
  ])
  func parses(_ text: String, _ expected: SessionStoreLocation) throws {
    #expect(try SessionStoreLocation(parsing: text) == expected)
  }

  @Test func aPostgresURLParsesEveryPart() throws {
    let location = try SessionStoreLocation(
      parsing: "postgresql://back%40talk:p%3Ass@db.example:6543/chat?sslmode=require")
    guard case .postgres(let pg) = location else {
      Issue.record("not postgres: \(location)")
      return
    }
    #expect(pg.user == "back@talk")
    #expect(pg.password == "p:ss")
    #expect(pg.host == "db.example")
    #expect(pg.port == 6543)
    #expect(pg.database == "chat")
    #expect(pg.tls == .require)
    #expect(!pg.description.contains("p:ss"))
    let defaults = try PostgresLocation(parsing: "postgres://u@[::1]/d")
    #expect(defaults.host == "::1")
    #expect(defaults.port == 5432)
    #expect(defaults.password == nil)
    #expect(defaults.tls == .prefer)
  }

  @Test(arguments: [
    ("", "unknown kind of store"),
    ("mysql://u@h/d", "unknown kind of store"),
    ("sqlite:", "no file"),
    ("postgres://localhost/db", "no 'USER@'"),
    ("postgres://u@localhost", "no '/DATABASE'"),
    ("postgres://u@localhost/", "no database name"),
    ("postgres://u@localhost:99999/d", "port"),
    ("postgres://u@localhost:abc/d", "port"),
    ("postgres://u@/d", "no host"),
    ("postgres://u@h/d?sslmode=maybe", "sslmode must be"),
    ("postgres://u@h/d?timeout=3", "unknown option"),
    ("postgres://u:%zz@h/d", "percent-encoding"),
  ])
  func aBadValueSaysWhatIsWrong(_ text: String, _ reason: String) {
    #expect {
      _ = try SessionStoreLocation(parsing: text)
    } throws: { error in
      guard let error = error as? SessionStoreError, case .invalidURL = error else { return false }
      return error.description.contains(reason) && error.description.contains("sqlite:PATH")
    }
  }

  @Test func memoryOpensNothing() throws {
    #expect(try SessionStoreLocation.memory.open() == nil)
  }
}
