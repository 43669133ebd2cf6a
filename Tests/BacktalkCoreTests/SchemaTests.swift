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

  @Test func theSchemaRejectsABrokenReply() throws {
    let schema = try Self.schema("reply.schema.json")
    let broken = try JSONParser.parse(
      Array(#"{"id":1,"session":"s","text":"x","intent":null,"confidence":2,"escalate":"no"}"#.utf8)
    )
    #expect(!schema.errors(broken).isEmpty)
  }

  @Test func documentedRequestsMatchTheRequestSchema() throws {
    let schema = try Self.schema("request.schema.json")
    for line in Self.conversation.prefix(12) {
      #expect(schema.errors(try JSONParser.parse(Array(line.utf8))).isEmpty, "\(line)")
    }
  }
}
