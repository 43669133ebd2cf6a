/// Why `backtalk web` could not start, in words an operator can act on.
public enum WebServerError: Error, Equatable, CustomStringConvertible {
  /// A file of the chat page is missing (a moved binary without its resources).
  case pageMissing(String)
  /// The host is not an IP address this server can bind.
  case badHost(String)
  /// The port is outside 0...65535.
  case badPort(Int)

  /// The message.
  public var description: String {
    switch self {
    case .pageMissing(let path):
      return
        "the chat page is missing (looked for \(path)); keep backtalk_BacktalkWeb.resources next to the binary"
    case .badHost(let host):
      return
        "cannot listen on '\(host)': give an IPv4 or IPv6 address such as 127.0.0.1 (the default), ::1 or 0.0.0.0"
    case .badPort(let port):
      return "port \(port) is not between 0 and 65535 (0 picks a free one)"
    }
  }
}
