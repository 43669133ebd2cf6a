import BacktalkCore
import Testing

/// The conversation layer on the table in `Tests/Fixtures/conversation_cases.jsonl`: short
/// conversations and what the last reply must be (follow-ups, gaps, two questions at once,
/// comparisons, the profile, repeats, flow manners).
@Suite struct ConversationLayerTests {
  struct Case: Sendable, CustomTestStringConvertible {
    let name: String
    let messages: [String]
    let intent: String?
    let facet: String?
    let notFacet: String?
    let contains: String?
    let notContains: String?
    /// The slot the last reply asks for ("none" for none), and its kind.
    let awaiting: String?
    let kind: String?
    var testDescription: String { name }
  }

  static let cases: [Case] = Fixtures.jsonLines("conversation_cases.jsonl").compactMap { value in
    guard let name = value["name"]?.stringValue, case .array(let items)? = value["messages"]
    else { return nil }
    return Case(
      name: name, messages: items.compactMap(\.stringValue), intent: value["intent"]?.stringValue,
      facet: value["facet"]?.stringValue, notFacet: value["not_facet"]?.stringValue,
      contains: value["contains"]?.stringValue, notContains: value["not_contains"]?.stringValue,
      awaiting: value["awaiting"]?.stringValue, kind: value["kind"]?.stringValue)
  }

  @Test func everyRowOfTheTableIsACase() {
    #expect(Self.cases.count == Fixtures.lineCount("conversation_cases.jsonl"))
    #expect(!Self.cases.isEmpty)
  }

  @Test(arguments: cases)
  func lastReply(_ c: Case) throws {
    var state = DialogueState()
    var replies: [Reply] = []
    for message in c.messages {
      replies.append(Fixtures.assistant.respond(to: message, state: &state))
    }
    let last = try #require(replies.last)
    if let intent = c.intent { #expect(last.intent == intent) }
    if let facet = c.facet { #expect(last.facet == facet) }
    if let notFacet = c.notFacet { #expect(last.facet != notFacet) }
    if let text = c.contains { #expect(last.text.contains(text), "\(last.text)") }
    if let text = c.notContains { #expect(!last.text.contains(text), "\(last.text)") }
    if let awaiting = c.awaiting { #expect((last.awaiting ?? "none") == awaiting) }
    if let kind = c.kind { #expect(last.kind.rawValue == kind, "\(last.text)") }
    // No reply in the conversation repeats an earlier one word for word.
    let texts = replies.map(\.text)
    #expect(Set(texts).count == texts.count)
  }
}
