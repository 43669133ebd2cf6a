import BacktalkCore
import Testing

/// The service with a session store: each answered request is saved before its reply exists,
/// a session read back says `restored`, two services sharing a store answer one conversation
/// exactly as one service would, and a store that fails costs an error reply, not the service.
@Suite struct StoredSessionServiceTests: ServiceTesting {
  let start = ContinuousClock.now

  func service(_ store: FakeSessionStore) -> JSONLinesService {
    var limits = JSONLinesService.Limits()
    limits.sessionTTL = .seconds(60)
    return JSONLinesService(assistant: Fixtures.assistant, limits: limits, store: store)
  }

  static let intake = [
    "make me a plan", "upper back", "about 3 weeks", "6/10", "I have crushing chest pain",
    "is it really that serious?", "it's passed", "continue", "lifting", "no", "none of these",
  ]

  func line(_ n: Int, _ text: String, session: String = "s") -> String {
    #"{"id":\#(n),"session":"\#(session)","text":"\#(text)"}"#
  }

  /// The reply without `session_status`, which says which process had the session.
  func content(_ reply: JSONValue) -> JSONValue {
    guard case .object(let members) = reply else { return reply }
    return .object(members.filter { $0.0 != "session_status" })
  }

  @Test func everyAnsweredMessageIsSavedAndANewServiceRestoresIt() throws {
    let store = FakeSessionStore()
    var first = service(store)
    let a = try reply(&first, line(1, "make me a plan"))
    #expect(a["session_status"] == .string("new"))
    _ = try reply(&first, line(2, "upper back"))
    #expect(try store.snapshot("s")?.dialogue.turn == 2)
    // A restart: a new service over the same store.
    var second = service(store)
    let c = try reply(&second, line(3, "about 3 weeks"))
    #expect(c["session_status"] == .string("restored"))
    #expect(c["awaiting"] == .string("severity"))
    #expect(c["slots"]?["location"] == .string("upper"))
    let d = try reply(&second, line(4, "6/10"))
    #expect(d["session_status"] == .string("continued"))
  }

  @Test func twoServicesAlternatingGiveTheRepliesOfOne() throws {
    var one = service(FakeSessionStore())
    let shared = FakeSessionStore()
    var services = [service(shared), service(shared)]
    var statuses: [String] = []
    for (n, text) in Self.intake.enumerated() {
      let alone = try reply(&one, line(n, text))
      let alternating = try reply(&services[n % 2], line(n, text))
      #expect(content(alternating) == content(alone), "turn \(n + 1): \(text)")
      statuses.append(alternating["session_status"]?.stringValue ?? "?")
    }
    #expect(statuses == ["new"] + Array(repeating: "restored", count: Self.intake.count - 1))
    #expect(try shared.escalations(limit: 10).map(\.category) == ["cardiac"])
  }

  /// A service whose cached copy is stale (another one answered since) has its save refused,
  /// reads the session back and answers again from the current state.
  @Test func aStaleCopyIsAnsweredAgainFromTheStore() throws {
    let store = FakeSessionStore()
    var a = service(store)
    var b = service(store)
    _ = try reply(&a, line(1, "make me a plan"))
    _ = try reply(&b, line(2, "upper back"))
    let third = try reply(&a, line(3, "about 3 weeks"))
    #expect(third["session_status"] == .string("restored"))
    #expect(third["awaiting"] == .string("severity"))
    #expect(third["slots"]?["location"] == .string("upper"))
  }

  @Test func endDeletesTheStoredSessionAndResetKeepsItFresh() throws {
    let store = FakeSessionStore()
    var s = service(store)
    _ = try reply(&s, line(1, "make me a plan"))
    let reset = try reply(&s, #"{"id":2,"session":"s","type":"reset"}"#)
    #expect(reset["closed"] == .bool(false))
    #expect(try store.snapshot("s")?.dialogue == DialogueState())
    let end = try reply(&s, #"{"id":3,"session":"s","type":"end"}"#)
    #expect(end["closed"] == .bool(true))
    #expect(end["session_status"] == .string("continued"))
    #expect(try store.snapshot("s") == nil)
    var other = service(store)
    #expect(try reply(&other, line(4, "upper back"))["session_status"] == .string("new"))
  }

  @Test func anEscalationIsRecordedOnceWithItsTurn() throws {
    let store = FakeSessionStore()
    var s = service(store)
    _ = try reply(&s, line(1, "hello"))
    _ = try reply(&s, line(2, "I have crushing chest pain"))
    _ = try reply(&s, line(3, "is it really that serious?"))
    let recorded = try store.escalations(limit: 10)
    #expect(recorded.map(\.category) == ["cardiac"])
    #expect(recorded.first?.turn == 2)
    #expect(recorded.first?.session == "s")
  }

  @Test func aStoredSessionIdlePastTheTTLIsNew() throws {
    let store = FakeSessionStore()
    var s = service(store)
    _ = try reply(&s, line(1, "make me a plan"))
    store.age(.seconds(61))
    var restarted = service(store)
    let r = try reply(&restarted, line(2, "upper back"))
    #expect(r["session_status"] == .string("new"))
    #expect(r["awaiting"] != .string("duration_days"))
  }

  @Test func aFailingStoreGetsAnErrorReplyAndTheServiceGoesOn() throws {
    let store = FakeSessionStore()
    var s = service(store)
    _ = try reply(&s, line(1, "make me a plan"))
    store.setFailing(true)
    let failed = try reply(&s, line(2, "upper back"))
    #expect(failed["error"]?["code"] == .string("store_unavailable"))
    #expect(failed["id"] == .number("2"))
    #expect(try reply(&s, #"{"id":3,"type":"ping"}"#)["type"] == .string("ping"))
    store.setFailing(false)
    // The message that failed was not answered: sending it again continues the intake.
    let again = try reply(&s, line(4, "upper back"))
    #expect(again["awaiting"] == .string("duration_days"))
    #expect(again["session_status"] == .string("restored"))
  }

  @Test func anUnreadableStoredSessionStartsOverWithAWarning() throws {
    let store = FakeSessionStore()
    _ = try store.save("s", snapshot: Array("{\"v\":99}".utf8), replacing: nil, escalations: [])
    var s = service(store)
    let r = try reply(&s, line(1, "hello"))
    #expect(r["session_status"] == .string("new"))
    #expect(String(describing: r["warnings"]).contains("format version 99"))
  }

  @Test func helloNamesTheStore() throws {
    var s = service(FakeSessionStore())
    #expect(try reply(&s, #"{"type":"hello"}"#)["session_store"] == .string("fake"))
    var memory = service()
    #expect(try reply(&memory, #"{"type":"hello"}"#)["session_store"] == .string("memory"))
  }
}
