import BacktalkStores
import Foundation

/// The PostgreSQL server the tests use, named by `BACKTALK_TEST_POSTGRES`.
///
/// A `postgres://` URL; `tools/postgres-test-server.sh start DIR` starts a server and prints
/// one. Without it, without a server answering at it, or in a build without the Postgres
/// trait, the PostgreSQL tests skip and say which; with `CI=true` they run and fail instead,
/// as `.ci/run` builds with the trait and starts a server.
///
/// One copy for both test targets that need a server (the store's own tests and the process
/// tests), in a small library of their own: test targets cannot depend on each other.
public enum PostgresTestServer {
  /// The server's URL, from `BACKTALK_TEST_POSTGRES`, or nil when it is unset or empty.
  public static let url: String? = {
    let value = ProcessInfo.processInfo.environment["BACKTALK_TEST_POSTGRES"] ?? ""
    return value.isEmpty ? nil : value
  }()

  /// Whether this is a CI run (`CI=true`), where a test that cannot run fails.
  public static let isCI = ProcessInfo.processInfo.environment["CI"] == "true"

  /// Why the PostgreSQL tests cannot run here, or nil when they can.
  public static let unavailable: String? = {
    #if !Postgres
      return "this build has no PostgreSQL store: build and test with --traits Postgres"
    #else
      guard let url else {
        return
          "no PostgreSQL server: set BACKTALK_TEST_POSTGRES=postgres://... (tools/postgres-test-server.sh start DIR starts one and prints it)"
      }
      guard let location = try? PostgresLocation(parsing: url) else {
        return "BACKTALK_TEST_POSTGRES is not a postgres:// URL"
      }
      guard answers(host: location.host, port: location.port) else {
        return "no PostgreSQL server answers at \(location) (BACKTALK_TEST_POSTGRES)"
      }
      return nil
    #endif
  }()

  /// Whether the PostgreSQL tests run: when they can, and always on CI (where they fail if
  /// they cannot).
  public static let enabled = unavailable == nil || isCI

  /// The skip's reason, shown by `swift test`.
  public static var skipReason: String { unavailable ?? "" }

  /// Whether something accepts a TCP connection at `host:port` within two seconds.
  public static func answers(host: String, port: Int) -> Bool {
    var hints = addrinfo()
    hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
    var list: UnsafeMutablePointer<addrinfo>?
    guard getaddrinfo(host, String(port), &hints, &list) == 0, let first = list else {
      return false
    }
    defer { freeaddrinfo(list) }
    var entry: UnsafeMutablePointer<addrinfo>? = first
    while let info = entry {
      entry = info.pointee.ai_next
      let fd = socket(
        info.pointee.ai_family, info.pointee.ai_socktype | Int32(SOCK_NONBLOCK.rawValue), 0)
      guard fd >= 0 else { continue }
      defer { close(fd) }
      if connect(fd, info.pointee.ai_addr, info.pointee.ai_addrlen) == 0 { return true }
      guard errno == EINPROGRESS else { continue }
      var waiting = pollfd(fd: fd, events: Int16(POLLOUT), revents: 0)
      guard poll(&waiting, 1, 2000) == 1 else { continue }
      var failure: Int32 = 0
      var size = socklen_t(MemoryLayout<Int32>.size)
      getsockopt(fd, SOL_SOCKET, SO_ERROR, &failure, &size)
      if failure == 0 { return true }
    }
    return false
  }
}
