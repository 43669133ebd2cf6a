import BacktalkCore
import Testing

/// The lexicon's labelled table (the `origin: lexicon_table` rows of
/// `Intents/emergency_corpus.yaml`): positives for every category and hard negatives (negated,
/// hypothetical, other people's past, figures of speech, mild signs).
@Suite struct EmergencyDetectorTests {
  struct Case: Sendable, CustomTestStringConvertible {
    let text: String
    let category: String?
    var testDescription: String { "\(category ?? "none"): \(text)" }
  }

  static let cases: [Case] = Fixtures.knowledge.emergencyCorpus
    .filter { $0.origin == "lexicon_table" }
    .map { Case(text: $0.text, category: $0.category) }

  @Test func tableIsLargeAndCoversEveryCategory() {
    #expect(Self.cases.count >= 530)
    let categories = Set(Self.cases.compactMap(\.category))
    #expect(categories == Set(Fixtures.knowledge.settings.emergencyCategories))
    #expect(Self.cases.filter { $0.category == nil }.count >= 240)
  }

  @Test(arguments: cases)
  func detects(_ c: Case) {
    let finding = Fixtures.assistant.emergency(in: c.text)
    if let expected = c.category {
      guard case .emergency(let category, _)? = finding else {
        Issue.record("missed emergency: \(finding.map { "\($0)" } ?? "nothing found")")
        return
      }
      #expect(category == expected)
    } else if case .emergency(let category, let evidence)? = finding {
      Issue.record("false alarm: \(category) on '\(evidence)'")
    }
  }

  @Test func hypotheticalQuestionsGetTheSeeADoctorAnswer() {
    var state = DialogueState()
    let reply = Fixtures.assistant.respond(
      to: "what are the warning signs of chest pain with back pain?", state: &state)
    #expect(!reply.escalate)
    #expect(reply.intent == "advice.see_doctor")
  }

  @Test func escalationSuspendsTheIntakeAndIsRecorded() {
    var state = DialogueState()
    _ = Fixtures.assistant.respond(to: "what should I do about my back pain?", state: &state)
    #expect(state.activeFlow == "plan.start")
    let reply = Fixtures.assistant.respond(
      to: "i just peed myself and my legs are numb", state: &state)
    #expect(reply.escalate)
    #expect(reply.escalation?.category == "cauda_equina")
    #expect(reply.flow == nil)
    #expect(state.escalations.map(\.category) == ["cauda_equina"])
    let resumed = Fixtures.assistant.respond(to: "continue", state: &state)
    #expect(resumed.flow == "plan.start")
  }

  @Test func regionSetsTheNumbers() throws {
    let uk = try Assistant(knowledge: Fixtures.knowledge, region: "uk")
    var state = DialogueState()
    let reply = uk.respond(to: "I want to kill myself", state: &state)
    #expect(reply.escalation?.number == "999")
    #expect(reply.escalation?.crisisLine?.contains("116 123") == true)
    #expect(reply.text.contains("999"))
    #expect(throws: AssistantError.self) {
      try Assistant(knowledge: Fixtures.knowledge, region: "mars")
    }
  }
}
