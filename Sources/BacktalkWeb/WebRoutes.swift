import FlyingFox
import Foundation
import Synchronization

/// Every HTTP request the server answers: the page's four files and the chat socket at `/ws`.
///
/// Each response carries a Content-Security-Policy that allows no resource from anywhere but
/// this server (no CDN, no inline script or style), and headers that keep the page out of
/// frames and referrers. `Host` is checked on every request and `Origin` on the handshake
/// (see ``OriginPolicy``).
struct WebRoutes: HTTPHandler {
  let assets: PageAssets
  let socket: ChatSocket
  let gate: ConnectionGate
  /// Set once the port is known (`--port 0` picks one); until then every request is refused.
  let policy: SharedPolicy

  /// The security headers of every response.
  static let securityHeaders: [HTTPHeader: String] = [
    HTTPHeader("Content-Security-Policy"):
      "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; "
      + "connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
    HTTPHeader("X-Content-Type-Options"): "nosniff",
    HTTPHeader("X-Frame-Options"): "DENY",
    HTTPHeader("Referrer-Policy"): "no-referrer",
    HTTPHeader("Cross-Origin-Opener-Policy"): "same-origin",
    HTTPHeader("Cross-Origin-Resource-Policy"): "same-origin",
    HTTPHeader("Permissions-Policy"): "camera=(), microphone=(), geolocation=()",
  ]

  func handleRequest(_ request: HTTPRequest) async throws -> HTTPResponse {
    guard let policy = policy.current, policy.allowsHost(request.headers[.host]) else {
      return Self.plain(.misdirectedRequest, "this server answers only its own address\n")
    }
    guard request.method == .GET || request.method == .HEAD else {
      return Self.plain(.methodNotAllowed, "only GET\n")
    }
    if request.path == "/ws" {
      guard policy.allowsOrigin(request.headers[HTTPHeader("Origin")]) else {
        return Self.plain(.forbidden, "the chat socket is only for this server's own page\n")
      }
      guard gate.hasRoom else {
        return Self.plain(.serviceUnavailable, "too many connections; try again shortly\n")
      }
      return try await WebSocketHTTPHandler(handler: socket).handleRequest(request)
    }
    guard let asset = assets.files[request.path] else {
      return Self.plain(.notFound, "not found\n")
    }
    var headers = HTTPHeaders(Self.securityHeaders)
    headers[.contentType] = asset.contentType
    headers[.cacheControl] = "no-cache"
    return HTTPResponse(
      statusCode: .ok, headers: headers, body: request.method == .HEAD ? Data() : asset.body)
  }

  private static func plain(_ status: HTTPStatusCode, _ text: String) -> HTTPResponse {
    var headers = HTTPHeaders(securityHeaders)
    headers[.contentType] = "text/plain; charset=utf-8"
    return HTTPResponse(statusCode: status, headers: headers, body: Data(text.utf8))
  }
}

/// The origin policy, set once the listening port is known and read by every request.
///
/// A `final class` around a `Mutex` because the routes are copied into FlyingFox's handler
/// before the port is known; the lock is held only to copy the value.
final class SharedPolicy: Sendable {
  private let value = Mutex<OriginPolicy?>(nil)

  /// The policy in force, or nil before the server listens.
  var current: OriginPolicy? {
    get { value.withLock { $0 } }
    set { value.withLock { $0 = newValue } }
  }
}
