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
    reply(to: frame, now: now).map { String(decoding: $0, as: UTF8.self) }
  }

  /// Handles one line's bytes; nil for a blank line.
  public mutating func handle(line bytes: [UInt8], now: ContinuousClock.Instant) -> String? {
    reply(toLine: bytes, now: now).map { String(decoding: $0, as: UTF8.self) }
  }

  /// The reply line's UTF-8 (without the newline) for one frame; nil for a blank line.
  ///
  /// This is what `serve` writes: the bytes go out as they are encoded.
  public mutating func reply(to frame: LineFramer.Frame, now: ContinuousClock.Instant) -> [UInt8]? {
    answer(parse(frame), now: now)
  }

  /// The reply line's UTF-8 for one line's bytes; nil for a blank line.
  public mutating func reply(toLine bytes: [UInt8], now: ContinuousClock.Instant) -> [UInt8]? {
    answer(parse(.line(bytes)), now: now)
  }

  /// A frame read and validated, not yet answered (see ``parse(_:rankingIntents:)``).
  public struct ParsedLine: Sendable {
    enum Content: Sendable {
      case blank
      case error([UInt8])
      case request(WireRequest, PreparedMessage?)
    }
    let content: Content
  }

  /// Reads a frame without touching any session: framing limits, UTF-8, JSON, the request's
  /// fields and, for a message, the half of understanding it that needs no conversation.
  ///
  /// A pure function of the frame, so `serve` parses a batch of pipelined lines on several
  /// threads and then answers them in order with ``answer(_:now:)``. `rankingIntents` ranks the
  /// intents ahead too (worth it only when that work runs beside the answering).
  public func parse(_ frame: LineFramer.Frame, rankingIntents: Bool = false) -> ParsedLine {
    let bytes: [UInt8]
    switch frame {
    case .tooLong:
      return ParsedLine(
        content: .error(
          Self.errorLine(
            id: .null,
            ServiceError(
              .lineTooLong,
              "the line is longer than \(limits.lineBytes) bytes and was skipped; send shorter messages"
            ))))
    case .line(let line):
      bytes = line
    }
    if bytes.allSatisfy({ $0 == 0x20 || $0 == 0x09 || $0 == 0x0D }) {
      return ParsedLine(content: .blank)
    }
    func failure(_ id: JSONValue, session: JSONValue? = nil, _ error: ServiceError) -> ParsedLine {
      ParsedLine(content: .error(Self.errorLine(id: id, session: session, error)))
    }
    guard bytes.count <= limits.lineBytes else {
      return failure(
        .null, ServiceError(.lineTooLong, "the line is longer than \(limits.lineBytes) bytes"))
    }
    guard String(validating: bytes, as: UTF8.self) != nil else {
      return failure(
        .null, ServiceError(.invalidUTF8, "the line is not valid UTF-8; encode requests as UTF-8"))
    }
    let value: JSONValue
    do {
      value = try JSONParser.parse(bytes)
    } catch {
      switch error {
      case .tooDeep:
        return failure(
          .null, ServiceError(.tooDeep, "the JSON nests deeper than \(JSONParser.maxDepth) levels"))
      case .syntax(let message, let offset):
        return failure(
          .null,
          ServiceError(.invalidJSON, "\(message) at byte \(offset); send one JSON object per line"))
      }
    }
    let request: WireRequest
    do {
      request = try WireRequest(value, textLimit: limits.textBytes)
    } catch {
      return failure(Self.echoableID(value), session: value["session"], error)
    }
    let prepared =
      request.type == .message
      ? assistant.prepare(request.text ?? "", rankingIntents: rankingIntents) : nil
    return ParsedLine(content: .request(request, prepared))
  }

  /// Answers a parsed line in its session; nil for a blank line (no reply, per the protocol).
  public mutating func answer(_ line: ParsedLine, now: ContinuousClock.Instant) -> [UInt8]? {
    let request: WireRequest
    let prepared: PreparedMessage?
    switch line.content {
    case .blank: return nil
    case .error(let reply): return reply
    case .request(let r, let p):
      request = r
      prepared = p
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
      return WireReply.encodedBytes(
        reply, id: request.id, session: request.session,
        extra: ["closed": existed ? "true" : "false"], warnings: request.warnings)
    case .message:
      let message = prepared ?? assistant.prepare(request.text ?? "")
      let assistant = self.assistant
      let reply = sessions.withSession(request.session, now: now, make: DialogueState.init) {
        assistant.respond(to: message, state: &$0, includeTrace: request.trace)
      }
      return WireReply.encodedBytes(
        reply, id: request.id, session: request.session, warnings: request.warnings)
    }
  }

  private static func echoableID(_ value: JSONValue) -> JSONValue {
    switch value["id"] {
    case .string?, .number?: return value["id"] ?? .null
    default: return .null
    }
  }

  static func errorLine(id: JSONValue, session: JSONValue? = nil, _ error: ServiceError) -> [UInt8]
  {
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
    return w.bytes
  }
}
