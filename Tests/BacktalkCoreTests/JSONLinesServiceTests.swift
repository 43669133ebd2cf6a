import BacktalkCore
import Testing

@Suite struct JSONLinesServiceTests: ServiceTesting {
  let start = ContinuousClock.Instant.now

  @Test func replyHasEveryContractField() throws {
    var s = service()
    let r = try reply(&s, #"{"id":1,"session":"a","text":"hello"}"#)
    #expect(r["id"] == .number("1"))
    #expect(r["session"] == .string("a"))
    for key in [
      "text", "intent", "confidence", "escalate", "escalation", "flow", "awaiting", "slots",
      "suggestions", "sources",
    ] {
      #expect(r[key] != nil, "missing \(key)")
    }
    #expect(r["escalate"] == .bool(false))
    #expect(r["escalation"] == .null)
    if case .object = r["slots"] {} else { Issue.record("slots is not an object") }
  }

  @Test(arguments: [#""abc""#, "7", "7.50", "-1e3"])
  func echoesIdsUnchanged(id: String) throws {
    var s = service()
    let raw = s.handle(line: Array(#"{"id":\#(id),"text":"hi"}"#.utf8), now: start)
    let out = try #require(raw)
    #expect(out.hasPrefix(#"{"id":\#(id),"#))
  }

  struct BadLine: Sendable, CustomTestStringConvertible {
    let bytes: [UInt8]
    let code: String
    var testDescription: String { code }
  }

  /// `Tests/Fixtures/bad_lines.jsonl` (the process tests send the same lines to the binary):
  /// `line` is sent as UTF-8, `bytes` one byte per character.
  static let badLines: [BadLine] = Fixtures.jsonLines("bad_lines.jsonl").compactMap { entry in
    guard let code = entry["code"]?.stringValue,
      let bytes = entry["line"]?.stringValue.map({ Array($0.utf8) })
        ?? entry["bytes"]?.stringValue.map({
          $0.unicodeScalars.map { UInt8(truncatingIfNeeded: $0.value) }
        })
    else { return nil }
    return BadLine(bytes: bytes, code: code)
  }

  @Test func theBadLineTableIsRead() {
    #expect(Self.badLines.count == Fixtures.lineCount("bad_lines.jsonl"))
    #expect(Self.badLines.count >= 13)
    #expect(Set(Self.badLines.map(\.code)).count >= 8)
  }

  @Test(arguments: badLines)
  func badInputGetsAnErrorAndTheNextLineIsAnswered(_ bad: BadLine) throws {
    var s = service()
    let raw = s.handle(line: bad.bytes, now: start)
    let out = try #require(raw)
    let value = try JSONParser.parse(Array(out.utf8))
    #expect(value["error"]?["code"] == .string(bad.code))
    #expect(value["error"]?["message"]?.stringValue?.isEmpty == false)
    let next = try reply(&s, #"{"id":2,"text":"hi"}"#)
    #expect(next["intent"] == .string("greet"))
  }

  @Test func blankLinesGetNoReply() {
    var s = service()
    #expect(s.handle(line: [], now: start) == nil)
    #expect(s.handle(line: Array("  \r".utf8), now: start) == nil)
  }

  /// A CRLF ending and a raw U+2028 inside a string are read as they should be: the line is a
  /// message like any other, and the id that carries a U+2028 comes back escaped (a line
  /// reader that splits on it would otherwise cut the reply in two) and unchanged.
  @Test func crlfAndUnicodeSeparatorsAreHandled() throws {
    var s = service()
    let raw = s.handle(
      line: Array("{\"id\":\"a\u{2028}b\",\"text\":\"hi\u{2028}there\u{2029}\"}\r".utf8), now: start
    )
    let out = try #require(raw)
    #expect(out.hasPrefix(#"{"id":"a\u2028b","session":"default","#), "\(out)")
    #expect(!out.contains("\u{2028}") && !out.contains("\u{2029}"))
    let r = try JSONParser.parse(Array(out.utf8))
    #expect(r["error"] == nil)
    #expect(r["id"] == .string("a\u{2028}b"))
    #expect(r["intent"] == .string("greet"))
  }

  @Test func unknownFieldsAreIgnoredWithAWarning() throws {
    var s = service()
    let r = try reply(&s, #"{"text":"hi","user":"x","lang":"en"}"#)
    #expect(r["intent"] == .string("greet"))
    #expect(
      r["warnings"]
        == .array([
          .string("unknown field 'user' ignored"), .string("unknown field 'lang' ignored"),
        ])
        || r["warnings"]
          == .array([
            .string("unknown field 'lang' ignored"), .string("unknown field 'user' ignored"),
          ])
    )
    let clean = try reply(&s, #"{"text":"hi"}"#)
    #expect(clean["warnings"] == nil)
  }

  struct Echo: Sendable, CustomTestStringConvertible {
    let line: String
    let code: String
    /// The reply's start up to the error's message: id, session when echoed, code.
    let prefix: String
    var testDescription: String { line }
  }

  /// An error reply carries the request's id and session whenever the line could be read as
  /// an object with them, so a front end can tell which request failed; a line that cannot be
  /// read (or an id of the wrong type) gets `"id": null` and no session.
  @Test(arguments: [
    Echo(
      line: #"{"id":"x","session":"s","text":5}"#, code: "invalid_field",
      prefix: #"{"id":"x","session":"s","error":{"code":"invalid_field","message":""#),
    Echo(
      line: #"{"id":7,"session":"s"}"#, code: "missing_text",
      prefix: #"{"id":7,"session":"s","error":{"code":"missing_text","message":""#),
    Echo(
      line: #"{"id":7.5,"session":"s","type":"dance","text":"hi"}"#, code: "unknown_type",
      prefix: #"{"id":7.5,"session":"s","error":{"code":"unknown_type","message":""#),
    Echo(
      line: #"{"id":"t","session":"s","trace":"yes","text":"hi"}"#, code: "invalid_field",
      prefix: #"{"id":"t","session":"s","error":{"code":"invalid_field","message":""#),
    Echo(
      line: #"{"id":"x","type":5,"text":"hi"}"#, code: "invalid_field",
      prefix: #"{"id":"x","error":{"code":"invalid_field","message":""#),
    Echo(
      line: #"{"id":{"a":1},"session":"s","text":"hi"}"#, code: "invalid_field",
      prefix: #"{"id":null,"session":"s","error":{"code":"invalid_field","message":""#),
    Echo(
      line: #"{"id":"x","session":5,"text":"hi"}"#, code: "invalid_field",
      prefix: #"{"id":"x","error":{"code":"invalid_field","message":""#),
    Echo(
      line: #"{"id":"x","session":"","text":"hi"}"#, code: "invalid_field",
      prefix: #"{"id":"x","session":"","error":{"code":"invalid_field","message":""#),
    Echo(
      line: #"{"id":"x","session":"s","text":""# + String(repeating: "a", count: 8193) + #""}"#,
      code: "text_too_long",
      prefix: #"{"id":"x","session":"s","error":{"code":"text_too_long","message":""#),
    Echo(
      line: #"[{"id":"x","session":"s"}]"#, code: "not_an_object",
      prefix: #"{"id":null,"error":{"code":"not_an_object","message":""#),
    Echo(
      line: #"{"id":"x","session":"s","text":"#, code: "invalid_json",
      prefix: #"{"id":null,"error":{"code":"invalid_json","message":""#),
  ])
  func errorRepliesEchoTheIdAndSession(_ e: Echo) throws {
    var s = service()
    let raw = s.handle(line: Array(e.line.utf8), now: start)
    let out = try #require(raw)
    #expect(out.hasPrefix(e.prefix), "\(out)")
    let value = try JSONParser.parse(Array(out.utf8))
    #expect(value["error"]?["code"] == .string(e.code))
    #expect((value["error"]?["message"]?.stringValue?.count ?? 0) > 10)
  }

  struct Limit: Sendable, CustomTestStringConvertible {
    let name: String
    let line: String
    /// The error code, or nil when the line must be answered.
    let code: String?
    var testDescription: String { name }
  }

  static func request(session: String = "s", text: String = "hi", pad: Int = 0) -> String {
    var w = JSONWriter()
    w.beginObject()
    w.key("session")
    w.string(session)
    w.key("text")
    w.string(text)
    if pad > 0 {
      w.key("pad")
      w.string(String(repeating: "p", count: pad))
    }
    w.endObject()
    return w.text
  }

  /// A line padded to exactly `bytes` bytes with an unknown field.
  static func line(ofBytes bytes: Int) -> String {
    let bare = request(pad: 1).utf8.count - 1
    return request(pad: bytes - bare)
  }

  static func nested(_ depth: Int) -> String {
    #"{"text":"hi","x":"# + String(repeating: "[", count: depth - 1)
      + String(repeating: "]", count: depth - 1) + "}"
  }

  /// Every documented limit at its exact byte boundary, counted in bytes of UTF-8, not
  /// characters: session 1 to 256 bytes, text up to 8 KiB, a line up to 64 KiB, 32 levels of
  /// nesting.
  @Test(arguments: [
    Limit(
      name: "session of 256 bytes", line: request(session: String(repeating: "s", count: 256)),
      code: nil),
    Limit(
      name: "session of 257 bytes", line: request(session: String(repeating: "s", count: 257)),
      code: "invalid_field"),
    Limit(
      name: "session of 128 é (256 bytes)",
      line: request(session: String(repeating: "é", count: 128)), code: nil),
    Limit(
      name: "session of 86 € (258 bytes)",
      line: request(session: String(repeating: "€", count: 86)), code: "invalid_field"),
    Limit(name: "empty session", line: request(session: ""), code: "invalid_field"),
    Limit(
      name: "text of 8192 bytes",
      line: request(text: String(repeating: "back ", count: 1638) + "ok"), code: nil),
    Limit(
      name: "text of 8193 bytes",
      line: request(text: String(repeating: "back ", count: 1638) + "oke"), code: "text_too_long"),
    Limit(
      name: "text of 4096 é (8192 bytes)", line: request(text: String(repeating: "é", count: 4096)),
      code: nil),
    Limit(
      name: "text of 4096 é and a letter",
      line: request(text: String(repeating: "é", count: 4096) + "a"), code: "text_too_long"),
    Limit(name: "line of 65536 bytes", line: line(ofBytes: 65536), code: nil),
    Limit(name: "line of 65537 bytes", line: line(ofBytes: 65537), code: "line_too_long"),
    Limit(name: "32 levels of nesting", line: nested(32), code: nil),
    Limit(name: "33 levels of nesting", line: nested(33), code: "too_deep"),
  ])
  func limitsHoldAtTheirExactBoundaries(_ limit: Limit) throws {
    var s = service()
    if limit.name.hasPrefix("line of") {
      #expect(limit.line.utf8.count == Int(limit.name.dropFirst(8).prefix(5)))
    }
    let raw = s.handle(line: Array(limit.line.utf8), now: start)
    let out = try #require(raw)
    let value = try JSONParser.parse(Array(out.utf8))
    if let code = limit.code {
      #expect(value["error"]?["code"] == .string(code), "\(out.prefix(200))")
    } else {
      #expect(value["error"] == nil, "\(out.prefix(200))")
      #expect(value["text"]?.stringValue?.isEmpty == false)
    }
  }

  @Test func messagesSayWhatTheLimitIs() throws {
    var s = service()
    let long = try reply(&s, Self.request(text: String(repeating: "é", count: 4096) + "a"))
    #expect(long["error"]?["message"]?.stringValue?.contains("8193 bytes") == true)
    #expect(long["error"]?["message"]?.stringValue?.contains("8192") == true)
  }

  @Test func sessionsAreIndependentAndResettable() throws {
    var s = service()
    _ = try reply(&s, #"{"session":"a","text":"make me a plan"}"#)
    let b = try reply(&s, #"{"session":"b","text":"upper back"}"#)
    #expect(b["flow"] == .null)
    let a = try reply(&s, #"{"session":"a","text":"upper back"}"#)
    #expect(a["awaiting"] == .string("duration_days"))
    _ = try reply(&s, #"{"session":"a","type":"reset"}"#)
    let after = try reply(&s, #"{"session":"a","text":"2 weeks"}"#)
    #expect(after["flow"] == .null)
  }

  @Test func idleSessionsExpireAndTheStoreIsBounded() throws {
    var s = service(sessions: 3, ttl: .seconds(60))
    _ = try reply(&s, #"{"session":"a","text":"make me a plan"}"#)
    let later = try reply(&s, #"{"session":"a","text":"upper back"}"#, at: .seconds(61))
    #expect(later["flow"] == .null)
    for i in 0..<10 { _ = try reply(&s, #"{"session":"s\#(i)","text":"hi"}"#, at: .seconds(62)) }
    #expect(s.sessions.count == 3)
  }

  @Test func escalationCarriesItsFlags() throws {
    var s = service()
    let r = try reply(&s, #"{"text":"crushing chest pain and my back hurts"}"#)
    #expect(r["escalate"] == .bool(true))
    #expect(r["escalation"]?["category"] == .string("cardiac"))
    #expect(r["escalation"]?["number"] == .string("911"))
  }

  @Test func traceExplainsTheChoice() throws {
    var s = service()
    let r = try reply(&s, #"{"text":"does cupping work","trace":true}"#)
    guard case .array(let candidates)? = r["trace"]?["candidates"] else {
      Issue.record("no trace candidates")
      return
    }
    #expect(candidates.first?["intent"] == .string("treatment.cupping"))
  }
}

@Suite struct LineFramerTests {
  @Test func framesAcrossChunkBoundaries() {
    var f = LineFramer(limit: 10)
    #expect(f.feed(Array("ab".utf8)) == [])
    #expect(
      f.feed(Array("c\nde\r\nf".utf8)) == [.line(Array("abc".utf8)), .line(Array("de".utf8))])
    #expect(f.finish() == [.line(Array("f".utf8))])
  }

  /// However the stream is cut into chunks, the frames are those of splitting it whole.
  @Test(arguments: 1...40)
  func chunkingNeverChangesTheFrames(seed: Int) {
    var state = UInt64(seed) &* 0x9E37_79B9_7F4A_7C15
    func next(_ bound: Int) -> Int {
      state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
      return Int((state >> 33) % UInt64(bound))
    }
    let limit = 6
    var stream: [UInt8] = []
    for _ in 0..<30 {
      let length = next(10)
      stream += (0..<length).map { _ in UInt8(97 + next(26)) }
      if next(4) == 0 { stream.append(0x0D) }
      stream.append(0x0A)
    }
    // Half the streams end without a final newline: the last line still counts.
    if seed % 2 == 0 { stream.removeLast() }
    var expected: [LineFramer.Frame] = []
    for line in stream.split(separator: 0x0A, omittingEmptySubsequences: false) {
      var bytes = Array(line)
      if bytes.last == 0x0D { bytes.removeLast() }
      if line.endIndex == stream.endIndex && line.isEmpty { continue }
      expected.append(bytes.count > limit ? .tooLong : .line(bytes))
    }
    var framer = LineFramer(limit: limit)
    var frames: [LineFramer.Frame] = []
    var start = 0
    while start < stream.count {
      let end = min(stream.count, start + 1 + next(12))
      frames += framer.feed(stream[start..<end])
      start = end
    }
    frames += framer.finish()
    #expect(frames == expected)
  }

  @Test func skipsAnOverlongLineWithoutBufferingIt() {
    var f = LineFramer(limit: 4)
    #expect(f.feed(Array("123456".utf8)) == [.tooLong])
    #expect(f.feed(Array("789".utf8)) == [])
    #expect(f.feed(Array("0\nok\n".utf8)) == [.line(Array("ok".utf8))])
  }
}

@Suite struct SessionStoreTests {
  let t0 = ContinuousClock.Instant.now

  @Test func dropsTheLeastRecentlyUsedFirst() {
    var store = SessionStore<Int>(capacity: 2, ttl: .seconds(100))
    store.withSession("a", now: t0, make: { 1 }) { _ in }
    store.withSession("b", now: t0, make: { 2 }) { _ in }
    store.withSession("a", now: t0, make: { 0 }) { _ in }
    store.withSession("c", now: t0, make: { 3 }) { _ in }
    #expect(store.contains("a", now: t0))
    #expect(!store.contains("b", now: t0))
    #expect(store.contains("c", now: t0))
  }

  @Test func expiresIdleSessions() {
    var store = SessionStore<Int>(capacity: 10, ttl: .seconds(10))
    store.withSession("a", now: t0, make: { 1 }) { $0 += 1 }
    store.evictExpired(now: t0 + .seconds(11))
    #expect(store.count == 0)
    let fresh = store.withSession("a", now: t0 + .seconds(12), make: { 100 }) { $0 }
    #expect(fresh == 100)
  }
}

@Suite struct JSONWriterTests {
  /// Every character that must be escaped, at every offset of a word-sized scan, round-trips
  /// through the parser, and nothing a line reader splits on is left raw.
  @Test(arguments: ["\"", "\\", "\n", "\r", "\t", "\u{01}", "\u{7F}", "\u{2028}", "\u{2029}", "é"])
  func escapesAtEveryOffset(special: String) throws {
    for prefix in 0..<17 {
      for suffix in [0, 1, 7, 8, 9] {
        let text =
          String(repeating: "a", count: prefix) + special + "—"
          + String(repeating: "z", count: suffix)
        var w = JSONWriter()
        w.string(text)
        #expect(try JSONParser.parse(w.bytes) == .string(text))
        #expect(!w.bytes.contains(0x0A) && !w.bytes.contains(0x0D))
        #expect(!w.text.contains("\u{2028}") && !w.text.contains("\u{2029}"))
      }
    }
  }
}
