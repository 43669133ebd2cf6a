import BacktalkCore
import Testing

@Suite struct IntentMatcherTests {
  struct Case: Sendable, CustomTestStringConvertible {
    let text: String
    let intent: String
    var testDescription: String { "\(intent): \(text)" }
  }

  /// Phrasings from the issues and the README: sloppy, brand names, typos, few shared words.
  static let cases: [Case] = [
    Case(
      text: "advil or aleve for the knot under my shoulder blade??", intent: "treatment.medications"
    ),
    Case(text: "is it ok to use a heatin pad", intent: "treatment.heat_cold"),
    Case(text: "my mum swears by cupping", intent: "treatment.cupping"),
    Case(text: "is heat or ice better for my upper back?", intent: "treatment.heat_cold"),
    Case(text: "hi", intent: "greet"),
    Case(text: "are you a real doctor", intent: "bot_identity"),
    Case(text: "what's PRP and is it safe", intent: "treatment.regenerative"),
    Case(text: "wall angels??", intent: "treatment.stretching"),
    Case(text: "would a medium firm mattress help", intent: "treatment.sleep"),
    Case(text: "are epidurals worth it", intent: "treatment.epidural_injections"),
    Case(text: "what should i do about my back pain", intent: "plan.start"),
    Case(text: "can you go through the warning signs with me", intent: "triage.start"),
    Case(text: "my knee hurts when I run", intent: "out_of_scope"),
    Case(text: "what's the weather like tomorrow", intent: "out_of_scope"),
  ]

  @Test(arguments: cases)
  func understands(_ c: Case) {
    var state = DialogueState()
    let reply = Fixtures.assistant.respond(to: c.text, state: &state)
    #expect(reply.intent == c.intent, "reply was \(reply.kind): \(reply.text.prefix(80))")
  }

  /// Examples given in any order train the same model: the matcher groups them by intent.
  @Test func exampleOrderDoesNotMatter() {
    let grouped: [(intent: String, text: String, features: [String])] = [
      ("heat", "heat pad", ["w:heat", "w:pad"]), ("heat", "warm bath", ["w:warm", "w:bath"]),
      ("ice", "ice pack", ["w:ice", "w:pack"]), ("ice", "cold compress", ["w:cold", "w:compress"]),
    ]
    let interleaved = [grouped[0], grouped[2], grouped[1], grouped[3]]
    let a = IntentMatcher(examples: grouped)
    let b = IntentMatcher(examples: interleaved)
    for query in [["w:warm"], ["w:cold", "w:pad"], ["w:compress"], ["w:heat", "w:ice"]] {
      #expect(a.match(query) == b.match(query))
      #expect(a.match(query).candidates.first?.nearestExample != nil)
    }
    #expect(b.match(["w:warm"]).candidates.first?.intent == "heat")
    #expect(b.match(["w:compress"]).candidates.first?.nearestExample == "cold compress")
  }

  @Test func confidenceIsAProbability() {
    for text in ["hi", "cupping", "zzz qqq", "", "!!!"] {
      let c = Fixtures.assistant.classify(text).confidence
      #expect(c >= 0 && c <= 1)
    }
  }

  @Test func gibberishFallsBackWithSuggestionsInsteadOfGuessing() {
    var state = DialogueState()
    let reply = Fixtures.assistant.respond(to: "blorp flibber quux", state: &state)
    #expect(reply.kind == .fallback)
    #expect(reply.sources.isEmpty)
    #expect(!reply.suggestions.isEmpty)
  }

  /// A floor, not a target.
  ///
  /// The held-out file is never used to tune; cross-validation and the README report the real
  /// figures.
  @Test func heldOutAccuracyStaysAboveFloor() {
    let cases = Fixtures.jsonLines("heldout_intents.jsonl").compactMap {
      v -> (text: String, intent: String)? in
      guard let t = v["text"]?.stringValue, let i = v["intent"]?.stringValue else { return nil }
      return (t, i)
    }
    #expect(cases.count >= 400)
    let accuracy = Fixtures.assistant.evaluate(cases).accuracy
    #expect(accuracy >= 0.90, "held-out accuracy \(accuracy)")
  }

  @Test func explainsItsChoice() {
    let e = Fixtures.assistant.explain("advil for my back")
    #expect(e.match.features.contains("c:nsaid"))
    #expect(e.match.candidates.first?.intent == "treatment.medications")
    #expect(e.match.candidates.first?.matchedFeatures.contains("c:nsaid") == true)
  }
}
