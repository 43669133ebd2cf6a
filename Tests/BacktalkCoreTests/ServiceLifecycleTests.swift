import BacktalkCore
import Foundation
import Testing

/// The handshake, the session lifecycle (`session_status`, `reset`, `end`), regions chosen per
/// session and the escalation's crisis number, through the service value.
@Suite struct ServiceLifecycleTests: ServiceTesting {
  let start = ContinuousClock.Instant.now

  @Test func helloReportsVersionsRegionLimitsAndCapabilities() throws {
    var s = service(sessions: 7, ttl: .seconds(90))
    let r = try reply(&s, #"{"id":"h","type":"hello"}"#)
    #expect(r["id"] == .string("h"))
    #expect(r["type"] == .string("hello"))
    #expect(r["version"] == .string(BacktalkVersion.program))
    #expect(r["protocol"] == .string(BacktalkVersion.wireProtocol))
    #expect(r["region"] == .string("us"))
    #expect(
      r["regions"]
        == .array(["au", "ca", "eu", "ie", "in", "intl", "nz", "uk", "us"].map(JSONValue.string)))
    #expect(r["limits"]?["line_bytes"] == .number("65536"))
    #expect(r["limits"]?["text_bytes"] == .number("8192"))
    #expect(r["limits"]?["session_bytes"] == .number("256"))
    #expect(r["limits"]?["sessions"] == .number("7"))
    #expect(r["limits"]?["session_ttl_seconds"] == .number("90"))
    guard case .array(let capabilities)? = r["capabilities"] else {
      Issue.record("no capabilities")
      return
    }
    #expect(capabilities.contains(.string("session_status")))
    #expect(r["session"] == nil && r["text"] == nil)
  }

  @Test func pingCountsLiveSessions() throws {
    var s = service(ttl: .seconds(60))
    _ = try reply(&s, #"{"session":"a","text":"hi"}"#)
    _ = try reply(&s, #"{"session":"b","text":"hi"}"#, at: .seconds(30))
    #expect(try reply(&s, #"{"id":1,"type":"ping"}"#, at: .seconds(31))["sessions"] == .number("2"))
    let later = try reply(&s, #"{"id":2,"type":"ping"}"#, at: .seconds(61))
    #expect(later["type"] == .string("ping"))
    #expect(later["sessions"] == .number("1"))
  }

  /// `new` whenever the service has no live session for the key, whatever the reason.
  @Test func everyReplySaysWhetherItsSessionWasKnown() throws {
    var s = service(sessions: 2, ttl: .seconds(60))
    func status(_ line: String, at seconds: Int64) throws -> JSONValue? {
      try reply(&s, line, at: .seconds(seconds))["session_status"]
    }
    #expect(try status(#"{"session":"a","text":"make me a plan"}"#, at: 0) == .string("new"))
    #expect(try status(#"{"session":"a","text":"upper back"}"#, at: 1) == .string("continued"))
    // Expired.
    #expect(try status(#"{"session":"a","text":"2 weeks"}"#, at: 62) == .string("new"))
    // Dropped for space: b and c push a out.
    _ = try status(#"{"session":"b","text":"hi"}"#, at: 63)
    _ = try status(#"{"session":"c","text":"hi"}"#, at: 64)
    #expect(try status(#"{"session":"a","text":"hi"}"#, at: 65) == .string("new"))
    // Ended.
    #expect(try status(#"{"session":"a","type":"end"}"#, at: 66) == .string("continued"))
    #expect(try status(#"{"session":"a","text":"hi"}"#, at: 67) == .string("new"))
  }

  /// `reset` starts the conversation over in the same session; `end` forgets the session.
  @Test func resetKeepsTheSessionAndEndForgetsIt() throws {
    var s = service()
    _ = try reply(&s, #"{"session":"a","text":"make me a plan","region":"uk"}"#)
    let reset = try reply(&s, #"{"session":"a","type":"reset"}"#)
    #expect(reset["kind"] == .string("notice"))
    #expect(reset["closed"] == .bool(false))
    #expect(reset["session_status"] == .string("continued"))
    let after = try reply(&s, #"{"session":"a","text":"upper back"}"#)
    #expect(after["flow"] == .null)
    #expect(after["session_status"] == .string("continued"))
    // The region chosen when the session began survives the reset.
    let sign = try reply(&s, #"{"session":"a","text":"crushing chest pain and my back hurts"}"#)
    #expect(sign["escalation"]?["number"] == .string("999"))

    let end = try reply(&s, #"{"session":"a","type":"end"}"#)
    #expect(end["closed"] == .bool(true))
    let again = try reply(&s, #"{"session":"a","type":"end"}"#)
    #expect(again["closed"] == .bool(true))
    #expect(again["session_status"] == .string("new"))
    let fresh = try reply(&s, #"{"session":"a","text":"crushing chest pain and my back hurts"}"#)
    #expect(fresh["escalation"]?["number"] == .string("911"))
    #expect(fresh["session_status"] == .string("new"))
  }

  struct IgnoredField: Sendable, CustomTestStringConvertible {
    let line: String
    let warning: String
    var testDescription: String { line }
  }

  /// Fields a request type does not use are reported, never silently dropped.
  @Test(arguments: [
    IgnoredField(line: #"{"type":"reset","text":"hello"}"#, warning: "'text' is ignored"),
    IgnoredField(line: #"{"type":"end","text":"bye"}"#, warning: "'text' is ignored"),
    IgnoredField(line: #"{"type":"ping","text":"x"}"#, warning: "'text' is ignored"),
    IgnoredField(line: #"{"type":"end","region":"uk"}"#, warning: "'region' is ignored"),
    IgnoredField(line: #"{"type":"hello","region":"uk"}"#, warning: "'region' is ignored"),
  ])
  func ignoredFieldsAreWarnedAbout(_ field: IgnoredField) throws {
    var s = service()
    let r = try reply(&s, field.line)
    #expect(r["error"] == nil)
    guard case .array(let warnings)? = r["warnings"] else {
      Issue.record("no warnings")
      return
    }
    #expect(warnings.contains { $0.stringValue?.hasPrefix(field.warning) == true })
  }

  struct RegionCase: Sendable, CustomTestStringConvertible {
    let region: String
    let number: String
    let crisisNumber: String
    var testDescription: String { region }
  }

  /// A session chooses its region on its first message; the crisis line comes as a sentence
  /// and as digits for a `tel:` link.
  @Test(arguments: [
    RegionCase(region: "us", number: "911", crisisNumber: "988"),
    RegionCase(region: "uk", number: "999", crisisNumber: "116123"),
    RegionCase(region: "eu", number: "112", crisisNumber: "116123"),
    RegionCase(region: "au", number: "000", crisisNumber: "131114"),
    RegionCase(region: "nz", number: "111", crisisNumber: "1737"),
    // A widget passing the browser's country code reaches the region that covers it.
    RegionCase(region: "gb", number: "999", crisisNumber: "116123"),
    RegionCase(region: "FR", number: "112", crisisNumber: "116123"),
  ])
  func sessionsChooseTheirRegion(_ region: RegionCase) throws {
    var s = service()
    let r = try reply(
      &s, #"{"session":"x","region":"\#(region.region)","text":"I want to kill myself"}"#)
    #expect(r["escalation"]?["category"] == .string("self_harm"))
    #expect(r["escalation"]?["number"] == .string(region.number))
    #expect(r["escalation"]?["crisis_number"] == .string(region.crisisNumber))
    #expect(r["escalation"]?["crisis_line"]?.stringValue?.isEmpty == false)
    let other = try reply(&s, #"{"session":"y","text":"I want to kill myself"}"#)
    #expect(other["escalation"]?["crisis_number"] == .string("988"))
  }

  @Test func aCardiacEscalationHasNoCrisisNumber() throws {
    var s = service()
    let r = try reply(&s, #"{"text":"crushing chest pain and my back hurts"}"#)
    #expect(r["escalation"]?["crisis_line"] == .null)
    #expect(r["escalation"]?["crisis_number"] == .null)
  }

  @Test func aRegionCannotChangeMidConversation() throws {
    var s = service()
    _ = try reply(&s, #"{"session":"x","region":"au","text":"hi"}"#)
    let r = try reply(&s, #"{"session":"x","region":"uk","text":"I want to kill myself"}"#)
    #expect(r["escalation"]?["number"] == .string("000"))
    #expect(r["warnings"] != nil)
    _ = try reply(&s, #"{"session":"x","region":"uk","type":"reset"}"#)
    let after = try reply(&s, #"{"session":"x","text":"I want to kill myself"}"#)
    #expect(after["escalation"]?["number"] == .string("999"))
  }

  /// A region nobody listed must not cost the reply: the message could be an emergency.
  @Test func anUnknownRegionIsAnsweredWithTheDefaultAndAWarning() throws {
    var s = service()
    let r = try reply(&s, #"{"id":4,"session":"x","region":"mars","text":"hi"}"#)
    #expect(r["id"] == .number("4"))
    #expect(r["error"] == nil)
    #expect(r["text"]?.stringValue?.isEmpty == false)
    var warnings: [String] = []
    if case .array(let items)? = r["warnings"] { warnings = items.compactMap(\.stringValue) }
    #expect(warnings.contains { $0.contains("unknown region 'mars'") && $0.contains("uk") })
    let urgent = try reply(
      &s, #"{"id":5,"session":"y","region":"zz","text":"I can't feel my legs and I've wet myself"}"#
    )
    #expect(urgent["escalation"]?["number"] == .string("911"))
  }

  /// The new reply shapes and every error code agree with `schema/reply.schema.json`, and the
  /// new requests with `schema/request.schema.json`.
  @Test func newShapesMatchTheSchemas() throws {
    let replySchema = try SchemaTests.schema("reply.schema.json")
    let requestSchema = try SchemaTests.schema("request.schema.json")
    let requests = [
      #"{"id":1,"type":"hello"}"#,
      #"{"id":2,"type":"ping"}"#,
      #"{"id":3,"session":"s","region":"uk","text":"I want to kill myself"}"#,
      #"{"id":4,"session":"s","type":"reset","region":"au"}"#,
      #"{"id":5,"session":"s","type":"end"}"#,
    ]
    var s = service()
    for line in requests {
      #expect(requestSchema.errors(try JSONParser.parse(Array(line.utf8))).isEmpty, "\(line)")
      let r = try reply(&s, line)
      #expect(replySchema.errors(r).isEmpty, "\(line) -> \(replySchema.errors(r))")
    }
    let unknown = try reply(&s, #"{"id":6,"region":"mars","text":"hi"}"#)
    #expect(replySchema.errors(unknown).isEmpty)
    // A reply without its session status is not a valid reply.
    var broken = try reply(&s, #"{"id":7,"text":"hi"}"#)
    if case .object(let members) = broken {
      broken = .object(members.filter { $0.0 != "session_status" })
    }
    #expect(!replySchema.errors(broken).isEmpty)
  }

  /// Every question a flow can ask is an `awaiting` value of the schema and of
  /// `docs/PROTOCOL.md`, so a knowledge-base edit that adds one cannot leave them behind.
  @Test func theSchemaAndTheProtocolListEveryAwaitingValue() throws {
    let schema = try SchemaTests.schema("reply.schema.json")
    guard
      case .array(let values)? = schema.root["$defs"]?["reply"]?["properties"]?["awaiting"]?[
        "enum"]
    else {
      Issue.record("no awaiting enum in the schema")
      return
    }
    let protocolText = try String(
      contentsOf: Fixtures.root.appendingPathComponent("docs/PROTOCOL.md"), encoding: .utf8)
    var asked = ["safety_check"]
    for flow in Fixtures.knowledge.flows.values {
      asked += flow.slots.map(\.name) + flow.questions.map(\.id)
    }
    #expect(asked.count > 10)
    for name in asked {
      #expect(values.contains(.string(name)), "\(name) is missing from the schema")
      #expect(protocolText.contains("| `\(name)` |"), "\(name) is missing from PROTOCOL.md")
    }
  }

  /// Every error code the service can send is in the schema's list.
  @Test func theSchemaListsEveryErrorCode() throws {
    let schema = try SchemaTests.schema("reply.schema.json")
    for code in ServiceError.Code.allCases {
      let line = #"{"id":null,"error":{"code":"\#(code.rawValue)","message":"m"}}"#
      #expect(schema.errors(try JSONParser.parse(Array(line.utf8))).isEmpty, "\(code)")
    }
  }
}
