/// The `serve` protocol as a pure value: one framed line and the current instant in, one reply
/// line out.
///
/// Every rule of `docs/PROTOCOL.md` lives here, so it is unit-tested without a process: one
/// reply per non-blank line, ids echoed as sent, errors with stable codes for every kind of bad
/// input, sessions multiplexed and bounded, each reply saying whether its session was new. The
/// `serve` command only moves bytes.
public struct JSONLinesService: Sendable {
  /// Limits a front end can rely on (`docs/PROTOCOL.md`, and the `hello` reply).
  public struct Limits: Sendable {
    /// The longest request line, in bytes (without the newline).
    public var lineBytes = 64 * 1024
    /// The longest `text`, in bytes of UTF-8.
    public var textBytes = 8 * 1024
    /// The longest `session` key, in bytes of UTF-8.
    public var sessionBytes = 256
    /// The most sessions kept.
    public var sessions = 50_000
    /// How long an idle session is kept.
    public var sessionTTL: Duration = .seconds(30 * 60)

    /// The defaults.
    public init() {}
  }

  /// The assistant of the process's default region (`--region`).
  public let assistant: Assistant
  /// The limits in force.
  public let limits: Limits
  /// The sessions in this process's memory (with a ``store``, a cache of it).
  public internal(set) var sessions: SessionStore<ServiceSession>
  /// Where sessions are saved after every answered request, when `serve` has `--sessions`;
  /// nil keeps them in memory only (the fast path, untouched by stores).
  public let store: (any PersistentSessionStore)?
  /// The region codes of the knowledge base, sorted; a session's region is an index into it.
  public let regionCodes: [String]
  /// One assistant per entry of ``regionCodes``: copies of ``assistant`` that differ only in
  /// the numbers they give, made up front.
  ///
  /// Each sits in a ``SharedAssistant``, whose `let` the compiler knows cannot change during a
  /// call: answering through an array element instead copied the whole assistant (dozens of
  /// references retained and released, about 4% of `serve`'s time) for every message.
  let assistants: [SharedAssistant]
  /// The index of the default region.
  let defaultRegion: Int

  /// Creates a service.
  ///
  /// - Parameters:
  ///   - assistant: the assistant, in the region sessions get when they do not choose one.
  ///   - limits: the limits to enforce.
  ///   - store: a persistent session store, or nil to keep sessions in memory only.
  public init(
    assistant: Assistant, limits: Limits = Limits(), store: (any PersistentSessionStore)? = nil
  ) {
    self.assistant = assistant
    self.limits = limits
    self.store = store
    sessions = SessionStore(capacity: limits.sessions, ttl: limits.sessionTTL)
    let codes = Set(assistant.knowledge.regions.keys).union([assistant.region.code]).sorted()
    regionCodes = codes
    assistants = codes.map { code in
      SharedAssistant(
        code == assistant.region.code ? assistant : (try? assistant.inRegion(code)) ?? assistant)
    }
    defaultRegion = codes.firstIndex(of: assistant.region.code) ?? 0
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
    let region = request.region.flatMap { regionCodes.firstIndex(of: $0) }
    if let store, request.type == .message || request.type == .reset || request.type == .end {
      return answer(request, prepared: prepared, region: region, store: store, now: now)
    }
    // Copies for the closures below, which run while `sessions` (part of self) is mutated.
    let (codes, fallback) = (regionCodes, defaultRegion)
    switch request.type {
    case .hello:
      return WireReply.helloBytes(
        id: request.id, hello: hello, warnings: request.warnings)
    case .ping:
      sessions.evictExpired(now: now)
      return WireReply.pingBytes(
        id: request.id, sessions: sessions.count, warnings: request.warnings)
    case .end:
      // Expired sessions first, so an end that comes after the TTL reports `new` like a
      // message would.
      sessions.evictExpired(now: now)
      let existed = sessions.remove(request.session)
      return WireReply.encodedBytes(
        notice("Conversation closed. Take care of your back."), id: request.id,
        session: request.session, status: existed ? .continued : .new, closed: true,
        warnings: request.warnings)
    case .reset:
      let status = sessions.withSession(
        request.session, now: now, make: { ServiceSession(region: region ?? fallback) }
      ) { session, isNew -> SessionStatus in
        session.dialogue = DialogueState()
        if let region { session.region = region }
        return isNew ? .new : .continued
      }
      return WireReply.encodedBytes(
        notice("Okay, I've forgotten this conversation. We can start fresh."), id: request.id,
        session: request.session, status: status, closed: false, warnings: request.warnings)
    case .message:
      // (Through the shared default assistant: calling the stored value copied it.)
      let message = prepared ?? assistants[defaultRegion].prepare(request.text ?? "")
      let assistants = self.assistants
      var warnings = request.warnings
      let (reply, status) = sessions.withSession(
        request.session, now: now, make: { ServiceSession(region: region ?? fallback) }
      ) { session, isNew -> (Reply, SessionStatus) in
        if !isNew, let region, region != session.region {
          warnings.append(
            "'region' is set when a session starts or is reset; this session keeps '\(codes[session.region])'"
          )
        }
        let reply = assistants[session.region].respond(
          to: message, state: &session.dialogue, includeTrace: request.trace)
        return (reply, isNew ? .new : .continued)
      }
      return WireReply.encodedBytes(
        reply, id: request.id, session: request.session, status: status, warnings: warnings)
    }
  }

  /// What a `hello` reply reports.
  public var hello: WireReply.Hello {
    var hello = WireReply.Hello(
      region: assistant.region.code, regions: regionCodes, limits: limits,
      maxDepth: JSONParser.maxDepth)
    hello.sessionStore = store?.kind ?? "memory"
    return hello
  }

  func notice(_ text: String) -> Reply {
    Reply(text: text, intent: nil, confidence: 1, kind: .notice)
  }
}
