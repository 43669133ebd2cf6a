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
  ///
  /// `serve` does the same in two steps, ``reader`` then ``answer(_:now:)``, so that it can
  /// read pipelined lines ahead on other threads and write the reply bytes as they are.
  public mutating func handle(_ frame: LineFramer.Frame, now: ContinuousClock.Instant) -> String? {
    answer(reader.parse(frame), now: now).map { String(decoding: $0, as: UTF8.self) }
  }

  /// Handles one line's bytes; nil for a blank line.
  public mutating func handle(line bytes: [UInt8], now: ContinuousClock.Instant) -> String? {
    handle(.line(bytes), now: now)
  }

  /// The session-free half of the service, which `serve` runs on several threads at once.
  public var reader: RequestReader { RequestReader(assistant: assistant, limits: limits) }

  /// Answers a line read by ``reader`` in its session; nil for a blank line (no reply, per the
  /// protocol).
  public mutating func answer(_ line: RequestReader.Line, now: ContinuousClock.Instant) -> [UInt8]?
  {
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
}
