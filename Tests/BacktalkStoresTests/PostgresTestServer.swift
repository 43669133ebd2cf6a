import Foundation
import Testing

/// The PostgreSQL server the tests use, named by `BACKTALK_TEST_POSTGRES`.
///
/// A `postgres://` URL; `tools/postgres-test-server.sh start DIR` starts a server and prints
/// one. Without it the PostgreSQL tests skip, saying so; with `CI=true` they fail instead, as
/// `.ci/run` starts one.
enum PostgresTestServer {
  static let url: String? = {
    let value = ProcessInfo.processInfo.environment["BACKTALK_TEST_POSTGRES"] ?? ""
    return value.isEmpty ? nil : value
  }()

  static let isCI = ProcessInfo.processInfo.environment["CI"] == "true"

  /// Whether the PostgreSQL tests run (they fail on CI when there is no server).
  static let enabled = url != nil || isCI

  static let skipReason: Comment =
    "no PostgreSQL server: set BACKTALK_TEST_POSTGRES=postgres://... (tools/postgres-test-server.sh start DIR prints one)"
}
