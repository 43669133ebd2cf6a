extension WireReply {
  /// What a `hello` reply tells a client before its first message: who is answering, in which
  /// protocol, with which limits and features.
  ///
  /// A client checks `protocol` once instead of discovering a missing feature from an error
  /// mid-conversation, and reads the limits instead of hard-coding them.
  public struct Hello: Equatable, Sendable {
    /// The process's default region (`--region`).
    public var region: String
    /// Every region a session may choose with the request field `region`.
    public var regions: [String]
    /// The longest request line, in bytes (without the newline).
    public var lineBytes: Int
    /// The longest `text`, in bytes of UTF-8.
    public var textBytes: Int
    /// The longest `session` key, in bytes of UTF-8.
    public var sessionBytes: Int
    /// The most sessions one process keeps.
    public var sessions: Int
    /// How long an idle session is kept, in seconds.
    public var sessionTTLSeconds: Int64
    /// How deep a request's JSON may nest.
    public var maxDepth: Int
    /// Where sessions are kept: `memory` (this process only), `sqlite` or `postgres`
    /// (`--sessions`: they survive a restart and come back `restored`).
    public var sessionStore = "memory"

    /// The features this build has, by name; a client tests for a name rather than a version.
    public static let capabilities = [
      "hello", "ping", "reset", "end", "trace", "region", "session_status", "crisis_number",
    ]

    /// Creates the description of a service.
    public init(
      region: String, regions: [String], limits: JSONLinesService.Limits, maxDepth: Int
    ) {
      self.region = region
      self.regions = regions
      lineBytes = limits.lineBytes
      textBytes = limits.textBytes
      sessionBytes = limits.sessionBytes
      sessions = limits.sessions
      sessionTTLSeconds = limits.sessionTTL.components.seconds
      self.maxDepth = maxDepth
    }
  }

  /// The reply to `hello`: `{"id", "type": "hello", "name", "version", "protocol", "region",
  /// "regions", "limits", "capabilities"}`.
  public static func helloBytes(id: JSONValue, hello: Hello, warnings: [String] = []) -> [UInt8] {
    var w = JSONWriter()
    w.beginObject()
    w.key("id")
    w.value(id)
    w.key("type")
    w.string("hello")
    w.key("name")
    w.string("backtalk")
    w.key("version")
    w.string(BacktalkVersion.program)
    w.key("protocol")
    w.string(BacktalkVersion.wireProtocol)
    w.key("region")
    w.string(hello.region)
    w.key("regions")
    w.beginArray()
    for code in hello.regions { w.string(code) }
    w.endArray()
    w.key("limits")
    w.beginObject()
    w.key("line_bytes")
    w.int(hello.lineBytes)
    w.key("text_bytes")
    w.int(hello.textBytes)
    w.key("session_bytes")
    w.int(hello.sessionBytes)
    w.key("sessions")
    w.int(hello.sessions)
    w.key("session_ttl_seconds")
    w.int(Int(hello.sessionTTLSeconds))
    w.key("max_depth")
    w.int(hello.maxDepth)
    w.endObject()
    w.key("capabilities")
    w.beginArray()
    for name in Hello.capabilities { w.string(name) }
    w.endArray()
    w.key("session_store")
    w.string(hello.sessionStore)
    writeWarnings(warnings, to: &w)
    w.endObject()
    return w.bytes
  }

  /// The reply to `ping`: `{"id", "type": "ping", "sessions"}`, with the number of live
  /// sessions (a load figure for whoever spreads sessions over processes).
  public static func pingBytes(id: JSONValue, sessions: Int, warnings: [String] = []) -> [UInt8] {
    var w = JSONWriter()
    w.beginObject()
    w.key("id")
    w.value(id)
    w.key("type")
    w.string("ping")
    w.key("sessions")
    w.int(sessions)
    writeWarnings(warnings, to: &w)
    w.endObject()
    return w.bytes
  }

  static func writeWarnings(_ warnings: [String], to w: inout JSONWriter) {
    guard !warnings.isEmpty else { return }
    w.key("warnings")
    w.beginArray()
    for warning in warnings { w.string(warning) }
    w.endArray()
  }
}
