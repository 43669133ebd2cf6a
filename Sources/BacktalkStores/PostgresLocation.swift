import BacktalkCore
import Foundation

/// A PostgreSQL database named by a `postgres://` URL.
public struct PostgresLocation: Equatable, Sendable, CustomStringConvertible {
  /// How to use TLS, as libpq's `sslmode` says it.
  public enum TLSMode: String, Equatable, Sendable {
    /// Never.
    case disable
    /// When the server offers it (libpq's default).
    case prefer
    /// Always; fail if the server has none.
    case require
  }

  /// The server's host name or address.
  public var host: String
  /// The server's port.
  public var port: Int
  /// The user to log in as.
  public var user: String
  /// The password, if any.
  public var password: String?
  /// The database.
  public var database: String
  /// TLS.
  public var tls: TLSMode

  /// Parses `postgres://USER[:PASSWORD]@HOST[:PORT]/DATABASE[?sslmode=...]`; user, password
  /// and database may be percent-encoded.
  ///
  /// - Throws: ``SessionStoreError/invalidURL(_:reason:)`` naming what is missing or wrong.
  public init(parsing text: String) throws(SessionStoreError) {
    func invalid(_ reason: String) -> SessionStoreError { .invalidURL(text, reason: reason) }
    guard let schemeEnd = text.range(of: "://") else { throw invalid("no '://'") }
    var rest = Substring(text[schemeEnd.upperBound...])
    var query: Substring = ""
    if let q = rest.firstIndex(of: "?") {
      query = rest[rest.index(after: q)...]
      rest = rest[..<q]
    }
    guard let slash = rest.firstIndex(of: "/") else { throw invalid("no '/DATABASE'") }
    let authority = rest[..<slash]
    guard let database = Self.decode(rest[rest.index(after: slash)...]), !database.isEmpty else {
      throw invalid("no database name after the host")
    }
    guard let at = authority.lastIndex(of: "@") else { throw invalid("no 'USER@' before the host") }
    let credentials = authority[..<at]
    var hostPort = authority[authority.index(after: at)...]
    let userPart: Substring
    var password: String?
    if let colon = credentials.firstIndex(of: ":") {
      userPart = credentials[..<colon]
      password = Self.decode(credentials[credentials.index(after: colon)...])
      if password == nil { throw invalid("the password is not valid percent-encoding") }
    } else {
      userPart = credentials
    }
    guard let user = Self.decode(userPart), !user.isEmpty else { throw invalid("no user") }
    var port = 5432
    if let colon = hostPort.lastIndex(of: ":"), !hostPort.hasSuffix("]") {
      guard let p = Int(hostPort[hostPort.index(after: colon)...]), (1...65535).contains(p) else {
        throw invalid("the port is not a number from 1 to 65535")
      }
      port = p
      hostPort = hostPort[..<colon]
    }
    if hostPort.hasPrefix("["), hostPort.hasSuffix("]") {
      hostPort = hostPort.dropFirst().dropLast()
    }
    guard !hostPort.isEmpty else { throw invalid("no host") }
    var tls = TLSMode.prefer
    for pair in query.split(separator: "&") {
      let parts = pair.split(separator: "=", maxSplits: 1).map(String.init)
      guard parts.count == 2, parts[0] == "sslmode" else {
        throw invalid("unknown option '\(pair)' (only sslmode=disable|prefer|require)")
      }
      guard let mode = TLSMode(rawValue: parts[1]) else {
        throw invalid("sslmode must be disable, prefer or require")
      }
      tls = mode
    }
    self.host = String(hostPort)
    self.port = port
    self.user = user
    self.password = password
    self.database = database
    self.tls = tls
  }

  /// The URL without its password, for messages and logs.
  public var description: String {
    "postgres://\(user)\(password == nil ? "" : ":***")@\(host):\(port)/\(database)?sslmode=\(tls.rawValue)"
  }

  /// Percent-decoding; nil for a malformed escape or bytes that are not UTF-8.
  static func decode(_ text: Substring) -> String? {
    var bytes: [UInt8] = []
    var i = text.utf8.startIndex
    let utf8 = text.utf8
    while i != utf8.endIndex {
      let byte = utf8[i]
      if byte == UInt8(ascii: "%") {
        let h = utf8.index(after: i)
        guard h != utf8.endIndex else { return nil }
        let l = utf8.index(after: h)
        guard l != utf8.endIndex,
          let value = UInt8(String(decoding: [utf8[h], utf8[l]], as: UTF8.self), radix: 16)
        else { return nil }
        bytes.append(value)
        i = utf8.index(after: l)
      } else {
        bytes.append(byte)
        i = utf8.index(after: i)
      }
    }
    return String(validating: bytes, as: UTF8.self)
  }
}
