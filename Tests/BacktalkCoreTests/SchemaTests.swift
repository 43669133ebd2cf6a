import BacktalkCore
import Foundation
import Testing

/// Real replies of the service, across every kind of turn and error, against `schema/`.
@Suite struct SchemaTests {
  static func schema(_ name: String) throws -> JSONSchema {
    let url = Fixtures.root.appendingPathComponent("schema/\(name)")
    let data = try #require(FileManager.default.contents(atPath: url.path))
    return JSONSchema(root: try JSONParser.parse(Array(data)))
  }

  static let conversation = [
    #"{"id":1,"session":"s","text":"hi"}"#,
    #"{"id":"2","session":"s","text":"is heat or ice better?","trace":true}"#,
    #"{"id":3,"session":"s","text":"make me a plan, upper back for 3 weeks, 6/10"}"#,
    #"{"id":4,"session":"s","text":"lifting"}"#,
    #"{"id":5,"session":"s","text":"no"}"#,
    #"{"id":6,"session":"s","text":"none"}"#,
    #"{"id":7,"session":"t","text":"when should I see a doctor"}"#,
    #"{"id":8,"session":"t","text":"yes"}"#,
    #"{"id":9,"session":"t","text":"I can't feel my legs"}"#,
    #"{"id":10,"session":"u","text":"blorp flibber"}"#,
    #"{"id":11,"session":"u","type":"reset"}"#,
    #"{"id":12,"text":"hi","extra":true}"#,
    "{not json",
    "[1]",
    #"{"text":3}"#,
    #"{"type":"x","text":"a"}"#,
    #"{"id":13}"#,
  ]

  @Test func everyReplyMatchesTheReplySchema() throws {
    let schema = try Self.schema("reply.schema.json")
    var service = JSONLinesService(assistant: Fixtures.assistant)
    let now = ContinuousClock.Instant.now
    for line in Self.conversation {
      let raw = service.handle(line: Array(line.utf8), now: now)
      let out = try #require(raw)
      let errors = schema.errors(try JSONParser.parse(Array(out.utf8)))
      #expect(errors.isEmpty, "\(line) -> \(errors)")
    }
  }

  struct Defect: Sendable, CustomTestStringConvertible {
    /// The message whose reply is broken (or "error" for an error reply).
    let message: String
    let key: String
    /// The new value as JSON, or nil to remove the key.
    let value: String?
    /// The error the checker must report, against the reply's (or error's) definition.
    let error: String
    var testDescription: String { "\(key) = \(value ?? "(removed)")" }
  }

  /// Replaces (or removes, or adds) one member of an object.
  static func setting(_ key: String, to value: JSONValue?, in object: JSONValue) -> JSONValue {
    guard case .object(var members) = object else { return object }
    if let index = members.firstIndex(where: { $0.0 == key }) {
      if let value { members[index].1 = value } else { members.remove(at: index) }
    } else if let value {
      members.append((key, value))
    }
    return .object(members)
  }

  /// A real reply with exactly one defect is rejected, for the reason planted: a checker that
  /// ignored one of the schema's rules would pass that row.
  @Test(arguments: [
    Defect(message: "hi", key: "confidence", value: "2", error: "$.confidence: above maximum"),
    Defect(message: "hi", key: "confidence", value: "-0.5", error: "$.confidence: below minimum"),
    Defect(message: "hi", key: "escalate", value: #""no""#, error: "$.escalate: string is not"),
    Defect(message: "hi", key: "kind", value: nil, error: "$: missing kind"),
    Defect(message: "hi", key: "kind", value: #""chat""#, error: "$.kind: value not in enum"),
    Defect(message: "hi", key: "mood", value: #""calm""#, error: "$: unexpected property mood"),
    Defect(message: "hi", key: "flow", value: #""plan.other""#, error: "$.flow: value not in enum"),
    Defect(
      message: "hi", key: "slots", value: #"{"severity":11}"#,
      error: "$.slots.severity: above maximum"),
    Defect(
      message: "hi", key: "slots", value: #"{"severity":2.5}"#,
      error: "$.slots.severity: number is not"),
    Defect(
      message: "hi", key: "slots", value: #"{"colour":"red"}"#,
      error: "$.slots: unexpected property colour"),
    Defect(
      message: "hi", key: "suggestions", value: "[1]", error: "$.suggestions[0]: number is not"),
    Defect(
      message: "hi", key: "sources",
      value: #"[{"document":"a.txt","title":"A","publisher":null}]"#,
      error: "$.sources[0]: missing section"),
    Defect(message: "hi", key: "id", value: "true", error: "$.id: boolean is not"),
    Defect(
      message: "I want to kill myself", key: "escalation",
      value:
        #"{"category":"self_harm","action":"call_emergency","number":"911","crisis_number":null}"#,
      error: "$.escalation: missing crisis_line"),
    Defect(
      message: "I want to kill myself", key: "escalation",
      value:
        #"{"category":"flu","action":"call_emergency","number":"911","crisis_line":null,"crisis_number":null}"#,
      error: "$.escalation.category: value not in enum"),
    Defect(
      message: "error", key: "error", value: #"{"code":"oops","message":"m"}"#,
      error: "$.error.code: value not in enum"),
    Defect(
      message: "error", key: "error", value: #"{"code":"invalid_json"}"#,
      error: "$.error: missing message"),
    Defect(message: "error", key: "text", value: #""x""#, error: "$: unexpected property text"),
  ])
  func theSchemaRejectsEachDefectAlone(_ d: Defect) throws {
    let schema = try Self.schema("reply.schema.json")
    var service = JSONLinesService(assistant: Fixtures.assistant)
    let line =
      d.message == "error" ? #"{"id":1,"session":"s"}"# : #"{"id":1,"text":"\#(d.message)"}"#
    let raw = service.handle(line: Array(line.utf8), now: .now)
    let reply = try JSONParser.parse(Array(try #require(raw).utf8))
    let definition = d.message == "error" ? "error" : "reply"
    try #require(
      schema.errors(reply).isEmpty && schema.errors(reply, definition: definition).isEmpty)
    let broken = Self.setting(
      d.key, to: try d.value.map { try JSONParser.parse(Array($0.utf8)) }, in: reply)
    let errors = schema.errors(broken, definition: definition)
    #expect(errors.contains { $0.hasPrefix(d.error) }, "\(errors)")
    #expect(errors.count == 1, "one defect, one error: \(errors)")
    #expect(schema.errors(broken) == ["$: matches 0 of oneOf"])
  }

  @Test func documentedRequestsMatchTheRequestSchema() throws {
    let schema = try Self.schema("request.schema.json")
    for line in Self.conversation.prefix(12) {
      #expect(schema.errors(try JSONParser.parse(Array(line.utf8))).isEmpty, "\(line)")
    }
  }

  /// The request schema's length limits are enforced (in characters, as JSON Schema counts).
  @Test(arguments: [
    (#"{"session":"","text":"hi"}"#, "$.session: shorter than 1 characters"),
    (
      #"{"session":""# + String(repeating: "s", count: 257) + #"","text":"hi"}"#,
      "$.session: longer than 256 characters"
    ),
    (
      #"{"text":""# + String(repeating: "a", count: 8193) + #""}"#,
      "$.text: longer than 8192 characters"
    ),
    (#"{"id":true,"text":"hi"}"#, "$.id: boolean is not"),
    (#"{"type":"dance","text":"hi"}"#, "$.type: value not in enum"),
  ])
  func theRequestSchemaRejects(line: String, error: String) throws {
    let schema = try Self.schema("request.schema.json")
    let errors = schema.errors(try JSONParser.parse(Array(line.utf8)))
    #expect(errors.count == 1 && errors.first?.hasPrefix(error) == true, "\(errors)")
    let fine = #"{"session":""# + String(repeating: "é", count: 256) + #"","text":"hi"}"#
    #expect(schema.errors(try JSONParser.parse(Array(fine.utf8))).isEmpty)
  }
}
