import BacktalkCore
import FlyingFox
import FlyingSocks
import Foundation
import Synchronization

/// `backtalk web`: the chat page and its WebSocket, on one port, over the same service and
/// session store that `serve` uses.
public struct WebServer: Sendable {
  /// Where to listen and what to allow.
  public struct Configuration: Sendable {
    /// The address to bind: loopback unless told otherwise.
    public var host = "127.0.0.1"
    /// The port (0 picks a free one; the address is printed on stdout).
    public var port = 8080
    /// Origins allowed besides the server's own (for a proxy in front).
    public var extraOrigins: [String] = []
    /// Connection, rate and size limits.
    public var limits = WebLimits()

    /// The defaults: 127.0.0.1:8080.
    public init() {}
  }

  let configuration: Configuration
  let server: HTTPServer
  let routes: WebRoutes

  /// Prepares the server (nothing listens until ``run(onListening:)``).
  ///
  /// - Throws: ``WebServerError`` for a host that is not an address or a port out of range.
  public init(
    configuration: Configuration, assistant: Assistant, assets: PageAssets
  ) throws(WebServerError) {
    guard (0...65535).contains(configuration.port) else { throw .badPort(configuration.port) }
    let port = UInt16(configuration.port)
    let host = configuration.host == "localhost" ? "127.0.0.1" : configuration.host
    let address: any SocketAddress
    do {
      address =
        host.contains(":")
        ? try sockaddr_in6.inet6(ip6: host, port: port)
        : try sockaddr_in.inet(ip4: host, port: port)
    } catch {
      throw .badHost(configuration.host)
    }
    self.configuration = configuration
    let gate = ConnectionGate(capacity: configuration.limits.connections)
    let service = ChatService(assistant: assistant, limits: configuration.limits.service)
    routes = WebRoutes(
      assets: assets.filling(["EMERGENCY_NUMBER": assistant.region.emergencyNumber]),
      socket: ChatSocket(service: service, limits: configuration.limits, gate: gate),
      gate: gate, policy: SharedPolicy())
    server = HTTPServer(
      address: address, timeout: 15, logger: StandardErrorLogger(), handler: routes)
  }

  /// Listens until the task is cancelled; calls `onListening` with the page's URL once the
  /// socket is bound.
  public func run(onListening: @escaping @Sendable (String) -> Void) async throws {
    try await withThrowingTaskGroup(of: Void.self) { group in
      group.addTask { try await server.run() }
      try await server.waitUntilListening(timeout: 10)
      let port = await Self.port(of: server.listeningAddress) ?? configuration.port
      routes.policy.current = OriginPolicy(
        host: configuration.host, port: port, extraOrigins: configuration.extraOrigins)
      let shown = configuration.host.contains(":") ? "[\(configuration.host)]" : configuration.host
      onListening("http://\(shown):\(port)/")
      try await group.next()
    }
  }

  private static func port(of address: Socket.Address?) -> Int? {
    switch address {
    case .ip4(_, let port)?, .ip6(_, let port)?: return Int(port)
    default: return nil
    }
  }
}

/// FlyingFox's log lines go to stderr, errors only: stdout carries the one line that says
/// where the page is, which scripts read.
struct StandardErrorLogger: Logging {
  func logDebug(_ debug: @autoclosure () -> String) {}
  func logInfo(_ info: @autoclosure () -> String) {}
  func logWarning(_ warning: @autoclosure () -> String) {}
  func logError(_ error: @autoclosure () -> String) {}
  func logCritical(_ critical: @autoclosure () -> String) {
    FileHandle.standardError.write(Data("backtalk web: \(critical())\n".utf8))
  }
}
