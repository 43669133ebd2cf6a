import BacktalkCore
import Testing

@Suite struct IntentMatcherTests {
  struct Case: Sendable, CustomTestStringConvertible {
    let text: String
    let intent: String
    var testDescription: String { "\(intent): \(text)" }
  }

  /// Phrasings from the issues and the README: sloppy, brand names, typos, few shared words;
  /// none of them is an example the matcher was trained on.
  static let cases: [Case] = [
    Case(
      text: "advil or aleve for the knot under my shoulder blade??", intent: "treatment.medications"
    ),
    Case(text: "is it ok to use a heatin pad", intent: "treatment.heat_cold"),
    Case(text: "my sister keeps saying cupping fixed her back", intent: "treatment.cupping"),
    Case(text: "is heat or ice better for my upper back?", intent: "treatment.heat_cold"),
    Case(text: "hey, good morning", intent: "greet"),
    Case(text: "is this a real person or a bot", intent: "bot_identity"),
    Case(text: "what's PRP and is it safe", intent: "treatment.regenerative"),
    Case(text: "wall angels??", intent: "treatment.stretching"),
    Case(text: "would a medium firm mattress help", intent: "treatment.sleep"),
    Case(text: "are epidurals worth it", intent: "treatment.epidural_injections"),
    Case(text: "what should I do about my aching back", intent: "plan.start"),
    Case(text: "can you go through the warning signs with me", intent: "triage.start"),
    Case(text: "my knee hurts when I run", intent: "out_of_scope"),
    Case(text: "what's the weather like tomorrow", intent: "out_of_scope"),
  ]

  @Test func noCaseIsATrainingExample() {
    func plain(_ text: String) -> String {
      String(text.lowercased().filter { $0.isLetter || $0.isNumber || $0 == " " })
    }
    let examples = Set(Fixtures.knowledge.intents.flatMap(\.examples).map(plain))
    for c in Self.cases { #expect(!examples.contains(plain(c.text)), "\(c.text)") }
  }

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

  /// The labelled held-out messages, every row of the file.
  static let heldOut: [(text: String, intent: String)] = Fixtures.jsonLines(
    "heldout_intents.jsonl"
  ).map { v in (v["text"]?.stringValue ?? "", v["intent"]?.stringValue ?? "") }

  @Test func everyHeldOutRowIsACase() {
    #expect(Self.heldOut.count == Fixtures.lineCount("heldout_intents.jsonl"))
    #expect(Self.heldOut.count >= 470)
    #expect(Self.heldOut.allSatisfy { !$0.text.isEmpty && !$0.intent.isEmpty })
  }

  /// Confidence means something: on labelled messages the matcher never saw, right answers
  /// come with more confidence than wrong ones, the more confident quarters of the answers
  /// are right more often, and the stated confidence is close to how often it is right.
  ///
  /// (Over the fixture and three sets written by others and already scored, v14-v16: on the
  /// fixture alone the matcher is now wrong fewer than ten times, too few to judge by.)
  @Test func confidenceIsCalibrated() throws {
    let others = ["v14", "v15", "v16"].flatMap { set in
      Fixtures.jsonLines("../Heldout/\(set)/intent_heldout.jsonl").map { v in
        (text: v["text"]?.stringValue ?? "", intent: v["intent"]?.stringValue ?? "")
      }
    }
    let predictions = Fixtures.assistant.evaluate(Self.heldOut + others).predictions
    let right = predictions.filter { $0.expected == $0.predicted }.map(\.confidence)
    let wrong = predictions.filter { $0.expected != $0.predicted }.map(\.confidence)
    try #require(right.count >= 10 && wrong.count >= 10)
    func mean(_ xs: [Double]) -> Double { xs.reduce(0, +) / Double(max(xs.count, 1)) }
    #expect(mean(right) > mean(wrong) + 0.2, "right \(mean(right)), wrong \(mean(wrong))")
    // Quarters by confidence, least confident first: accuracy never falls as confidence rises.
    let sorted = predictions.sorted { $0.confidence < $1.confidence }
    let size = sorted.count / 4
    let accuracy = (0..<4).map { q in
      let bucket = sorted[(q * size)..<(q == 3 ? sorted.count : (q + 1) * size)]
      return Double(bucket.filter { $0.expected == $0.predicted }.count) / Double(bucket.count)
    }
    #expect(zip(accuracy, accuracy.dropFirst()).allSatisfy { $0 <= $1 }, "\(accuracy)")
    #expect(accuracy[3] > accuracy[0], "\(accuracy)")
    // Expected calibration error over tenths of confidence (measured: about 0.05).
    var error = 0.0
    for tenth in 0..<10 {
      let bin = predictions.filter { min(Int($0.confidence * 10), 9) == tenth }
      guard !bin.isEmpty else { continue }
      let hits = Double(bin.filter { $0.expected == $0.predicted }.count) / Double(bin.count)
      error += abs(hits - mean(bin.map(\.confidence))) * Double(bin.count)
    }
    error /= Double(predictions.count)
    #expect(error < 0.1, "expected calibration error \(error)")
  }

  @Test func gibberishFallsBackWithSuggestionsInsteadOfGuessing() {
    var state = DialogueState()
    let reply = Fixtures.assistant.respond(to: "blorp flibber quux", state: &state)
    #expect(reply.kind == .fallback)
    #expect(reply.sources.isEmpty)
    #expect(!reply.suggestions.isEmpty)
  }

  /// A floor about one point under the measured figure (97.2%, 459 of 472, on 2026-12-03 once
  /// the sentence embedding joined the matcher), so that a change costing five held-out
  /// messages fails.
  ///
  /// The held-out file was written without seeing the examples, but matcher changes were
  /// compared on it, so it is a validation set rather than an untouched test set; the README
  /// reports cross-validation beside it.
  @Test func heldOutAccuracyStaysAboveFloor() {
    let accuracy = Fixtures.assistant.evaluate(Self.heldOut).accuracy
    #expect(accuracy >= 0.962, "held-out accuracy \(accuracy)")
  }

  @Test func explainsItsChoice() {
    let e = Fixtures.assistant.explain("advil for my back")
    #expect(e.match.features.contains("c:nsaid"))
    #expect(e.match.candidates.first?.intent == "treatment.medications")
    #expect(e.match.candidates.first?.matchedFeatures.contains("c:nsaid") == true)
  }
}
