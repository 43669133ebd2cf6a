/// The `serve` protocol as a pure value: one framed line and the current instant in, one reply
/// line out.
///
/// Every rule of `../shared/spec/protocol.md` lives here, so it is unit-tested without a
/// process: one reply per non-blank line, ids echoed as sent, errors with stable codes for every
/// kind of bad input, sessions multiplexed and bounded. The `serve` command only moves bytes.
public struct JSONLinesService: Sendable {
  /// Limits a front end can rely on (documented in the README).
  public struct Limits: Sendable {
    /// The longest request line, in bytes.
    public var lineBytes = 64 * 1024
    /// The longest `text`, in bytes of UTF-8.
    public var textBytes = 8 * 1024
    /// The most sessions kept.
    public var sessions = 50_000
    /// How long an idle session is kept.
    public var sessionTTL: Duration = .seconds(30 * 60)

    /// The defaults.
    public init() {}
  }

  /// The assistant every session talks to.
  public let assistant: Assistant
  /// The limits in force.
  public let limits: Limits
  /// The sessions.
  public private(set) var sessions: SessionStore<DialogueState>

  /// Creates a service.
  public init(assistant: Assistant, limits: Limits = Limits()) {
    self.assistant = assistant
    self.limits = limits
    sessions = SessionStore(capacity: limits.sessions, ttl: limits.sessionTTL)
  }

  /// Handles one frame from ``LineFramer``; nil for a blank line (no reply, per the protocol).
  public mutating func handle(_ frame: LineFramer.Frame, now: ContinuousClock.Instant) -> String? {
    switch frame {
    case .tooLong:
      return Self.errorLine(
        id: .null,
        ServiceError(
          .lineTooLong,
          "the line is longer than \(limits.lineBytes) bytes and was skipped; send shorter messages"
        ))
    case .line(let bytes):
      return handle(line: bytes, now: now)
    }
  }

  /// Handles one line's bytes; nil for a blank line.
  public mutating func handle(line bytes: [UInt8], now: ContinuousClock.Instant) -> String? {
    if bytes.allSatisfy({ $0 == 0x20 || $0 == 0x09 || $0 == 0x0D }) { return nil }
    guard bytes.count <= limits.lineBytes else {
      return Self.errorLine(
        id: .null, ServiceError(.lineTooLong, "the line is longer than \(limits.lineBytes) bytes"))
    }
    guard String(validating: bytes, as: UTF8.self) != nil else {
      return Self.errorLine(
        id: .null,
        ServiceError(.invalidUTF8, "the line is not valid UTF-8; encode requests as UTF-8"))
    }
    let value: JSONValue
    do {
      value = try JSONParser.parse(bytes)
    } catch {
      switch error {
      case .tooDeep:
        return Self.errorLine(
          id: .null,
          ServiceError(.tooDeep, "the JSON nests deeper than \(JSONParser.maxDepth) levels"))
      case .syntax(let message, let offset):
        return Self.errorLine(
          id: .null,
          ServiceError(.invalidJSON, "\(message) at byte \(offset); send one JSON object per line"))
      }
    }
    let request: WireRequest
    do {
      request = try WireRequest(value, textLimit: limits.textBytes)
    } catch {
      return Self.errorLine(id: Self.echoableID(value), session: value["session"], error)
    }
    switch request.type {
    case .reset, .end:
      let existed = sessions.remove(request.session)
      let text =
        request.type == .reset
        ? "Okay, I've forgotten this conversation. We can start fresh."
        : "Conversation closed. Take care of your back."
      var reply = Reply(text: text, intent: nil, confidence: 1, kind: .notice)
      reply.sources = []
      return WireReply.encode(
        reply, id: request.id, session: request.session,
        extra: ["closed": existed ? "true" : "false"], warnings: request.warnings)
    case .message:
      let text = request.text ?? ""
      let assistant = self.assistant
      let reply = sessions.withSession(request.session, now: now, make: DialogueState.init) {
        assistant.respond(to: text, state: &$0, includeTrace: request.trace)
      }
      return WireReply.encode(
        reply, id: request.id, session: request.session, warnings: request.warnings)
    }
  }

  private static func echoableID(_ value: JSONValue) -> JSONValue {
    switch value["id"] {
    case .string?, .number?: return value["id"] ?? .null
    default: return .null
    }
  }

  static func errorLine(id: JSONValue, session: JSONValue? = nil, _ error: ServiceError) -> String {
    var w = JSONWriter()
    w.beginObject()
    w.key("id")
    w.value(id)
    if case .string(let s)? = session {
      w.key("session")
      w.string(s)
    }
    w.key("error")
    w.beginObject()
    w.key("code")
    w.string(error.code.rawValue)
    w.key("message")
    w.string(error.message)
    w.endObject()
    w.endObject()
    return w.text
  }
}
