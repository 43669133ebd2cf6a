/// Which `Host` and `Origin` headers the server answers: its own addresses only.
///
/// A page on another site must not drive the chat through the visitor's browser. Browsers send
/// `Origin` with every WebSocket handshake, so a handshake whose `Origin` is not one of this
/// server's own is refused. The allowed list is fixed from the bound address and port, never
/// taken from the request: comparing `Origin` with the request's own `Host` would let a DNS
/// rebinding page (evil.example resolving to 127.0.0.1) through, so `Host` is checked against
/// the same list. Clients that are not browsers send no `Origin` and are let in: they run on
/// this machine and could send anything anyway.
public struct OriginPolicy: Sendable, Equatable {
  /// The allowed `host:port` authorities, lowercased.
  public let authorities: Set<String>
  /// Extra origins allowed by the operator (`--allow-origin`), lowercased, without a trailing
  /// slash.
  public let extraOrigins: Set<String>

  /// The policy for a server bound to `host` on `port`.
  ///
  /// - Parameters:
  ///   - host: the address bound (`127.0.0.1`, `::1`, `0.0.0.0`, a name).
  ///   - port: the port actually listened on.
  ///   - extraOrigins: origins such as `https://chat.example` for a proxy in front.
  public init(host: String, port: Int, extraOrigins: [String] = []) {
    var hosts: Set<String> = ["127.0.0.1", "localhost", "[::1]"]
    let bound = host.lowercased()
    if bound != "0.0.0.0" && bound != "::" && !bound.isEmpty {
      hosts.insert(bound.contains(":") && !bound.hasPrefix("[") ? "[\(bound)]" : bound)
    }
    // A browser leaves the default port out of `Origin` and `Host`.
    authorities = Set(hosts.map { "\($0):\(port)" }).union(port == 80 ? hosts : [])
    self.extraOrigins = Set(
      extraOrigins.map { origin in
        var o = origin.lowercased()
        while o.hasSuffix("/") { o.removeLast() }
        return o
      })
  }

  /// Whether a request's `Host` header names this server (a missing one is refused: HTTP/1.1
  /// requires it).
  public func allowsHost(_ host: String?) -> Bool {
    guard let host else { return false }
    let h = host.lowercased()
    if authorities.contains(h) { return true }
    return extraOrigins.contains { $0.hasSuffix("://" + h) }
  }

  /// Whether a WebSocket handshake's `Origin` is this server's own page (or none was sent).
  public func allowsOrigin(_ origin: String?) -> Bool {
    guard let origin else { return true }
    let o = origin.lowercased()
    if extraOrigins.contains(o) { return true }
    guard o.hasPrefix("http://") || o.hasPrefix("https://") else { return false }
    let authority = o.split(separator: "/", maxSplits: 3, omittingEmptySubsequences: true)
    guard authority.count == 2 else { return false }
    return authorities.contains(String(authority[1]))
  }
}
