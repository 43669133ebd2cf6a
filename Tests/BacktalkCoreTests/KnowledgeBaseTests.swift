@testable import BacktalkCore
import Foundation
import Testing

@Suite struct KnowledgeBaseTests {
  @Test func shippedKnowledgeBaseLoadsWithTheWholeCatalogue() {
    let kb = Fixtures.knowledge
    for name in kb.settings.catalogue { #expect(kb.intent(named: name) != nil, "missing \(name)") }
    #expect(kb.flows["plan.start"] != nil && kb.flows["triage.start"] != nil)
  }

  @Test func shippedKnowledgeBasePassesTheValidatorWithoutSeeds() {
    let problems = KnowledgeValidator(assistant: Fixtures.assistant).problems(seeds: nil)
    #expect(problems.isEmpty, "\(problems.map(\.description).joined(separator: "\n"))")
  }

  @Test(.enabled(if: Fixtures.seedFiles() != nil, "../shared/seeds is absent"))
  func shippedKnowledgeBasePassesTheSeedChecks() throws {
    let seeds = try #require(Fixtures.seedFiles())
    let problems = KnowledgeValidator(assistant: Fixtures.assistant).problems(seeds: seeds)
    #expect(problems.isEmpty, "\(problems.map(\.description).joined(separator: "\n"))")
  }

  /// Builds a knowledge base from the shipped files with one file's text changed.
  func modified(_ file: String, _ change: (String) -> String) throws -> KnowledgeBase {
    try KnowledgeBase(
      files: Fixtures.knowledgeFiles().map {
        ($0.name, $0.name == file ? change($0.contents) : $0.contents)
      })
  }

  func problems(_ kb: KnowledgeBase) throws -> [KnowledgeProblem] {
    KnowledgeValidator(assistant: try Assistant(knowledge: kb)).problems(
      seeds: Fixtures.seedFiles())
  }

  @Test func reportsAMissingCatalogueIntent() throws {
    // (Renamed where it is defined and where more of its examples are given.)
    let kb2 = try KnowledgeBase(
      files: Fixtures.knowledgeFiles().map { file in
        (
          file.name,
          file.contents.replacingOccurrences(
            of: file.name == "treatments-a.yaml"
              ? "name: treatment.cupping" : "intent: treatment.cupping\n",
            with: file.name == "treatments-a.yaml"
              ? "name: treatment.cupping_renamed" : "intent: treatment.cupping_renamed\n")
        )
      })
    #expect(try problems(kb2).contains { $0.message.contains("'treatment.cupping' is missing") })
  }

  @Test(.enabled(if: Fixtures.seedFiles() != nil, "../shared/seeds is absent"))
  func reportsASectionThatIsNotInTheSeed() throws {
    let kb = try modified("treatments-a.yaml") {
      $0.replacingOccurrences(
        of: "section: Cupping Therapy", with: "section: Cupping Therapy Made Up")
    }
    let found = try problems(kb).filter { $0.message.contains("Cupping Therapy Made Up") }
    #expect(found.count == 1)
    #expect(found.first?.file == "treatments-a.yaml")
    #expect(found.first?.line != nil)
  }

  @Test func reportsATermOfAnUnknownTopicAndANameGivenTwice() throws {
    let kb = try modified("terms.yaml") {
      $0.replacingOccurrences(
        of: "    intent: treatment.cupping\n", with: "    intent: treatment.cuping\n"
      ).replacingOccurrences(
        of: "names: [wall angels,", with: "names: [cat cow, wall angels,")
    }
    let found = try problems(kb).filter { $0.file == "terms.yaml" }
    #expect(found.contains { $0.message.contains("'treatment.cuping', which is not an intent") })
    #expect(found.contains { $0.message.contains("'cat cow' names both") })
    #expect(found.allSatisfy { $0.line != nil })
  }

  @Test func reportsAnExampleClaimedByTwoIntents() throws {
    let kb = try modified("treatments-a.yaml") {
      $0.replacingOccurrences(
        of: "    examples:\n", with: "    examples:\n      - is heat or ice better\n")
    }
    #expect(
      try problems(kb).contains {
        $0.message.contains("also belongs to") || $0.message.contains("duplicate example")
      })
  }

  @Test func reportsASuggestionThatLeadsNowhere() throws {
    let kb = try modified("treatments-a.yaml") {
      $0.replacingOccurrences(
        of: "    suggestions:\n", with: "    suggestions:\n      - Flibber the quux?\n")
    }
    #expect(try problems(kb).contains { $0.message.contains("Flibber the quux") })
  }

  @Test func reportsAnOverlongAnswer() throws {
    let long = String(repeating: "Words that go on. ", count: 120)
    let kb = try modified("treatments-a.yaml") {
      $0.replacingOccurrences(of: "    answer: >-\n", with: "    answer: >-\n      \(long)\n")
    }
    #expect(try problems(kb).contains { $0.message.contains("characters; keep it under") })
  }

  @Test func reportsYAMLSyntaxErrorsWithTheirLine() {
    #expect {
      try KnowledgeBase(files: [("broken.yaml", "intents:\n  - name: x\n    examples: [a, b\n")])
    } throws: { error in
      guard case KnowledgeBaseError.invalid(let problems) = error else { return false }
      return problems.contains { $0.file == "broken.yaml" && $0.line != nil }
    }
  }

  @Test func reportsBrokenFlowsAndConditions() throws {
    #expect {
      try modified("flows.yaml") {
        $0.replacingOccurrences(of: "when: always", with: "when: mood == happy")
      }
    } throws: { error in
      "\(error)".contains("unknown slot 'mood'")
    }
    #expect {
      try modified("guided.yaml") {
        $0.replacingOccurrences(of: "flow: triage.start", with: "flow: triage.nowhere")
      }
    } throws: { error in
      "\(error)".contains("triage.nowhere")
    }
  }

  @Test func mergesExamplesGivenInAnotherFileIntoTheirIntent() throws {
    let kb = try modified("examples-voices.yaml") {
      $0
        + "  - intent: treatment.cupping\n    examples:\n      - \"those suction cup things, any use\"\n"
    }
    let cupping = try #require(kb.intent(named: "treatment.cupping"))
    #expect(cupping.file == "treatments-a.yaml", "the intent stays defined where it was")
    // (Kept apart from the intent's own examples, which anchor the nearest-example reading.)
    let shipped = try #require(Fixtures.knowledge.intent(named: "treatment.cupping"))
    #expect(cupping.examples == shipped.examples)
    #expect(cupping.moreExamples == shipped.moreExamples + ["those suction cup things, any use"])
  }

  @Test func examplesOfOtherFilesTeachTheMatcherWithoutBeingNearest() throws {
    // A made-up word only another file's example uses: the regression model learns it, so a
    // message with it (and a word the intents share, which puts them in the running) reads as
    // that intent, but never through that example as the nearest.
    let kb = try modified("examples-voices.yaml") {
      $0 + "  - intent: treatment.cupping\n    examples:\n      - \"zorblax on my back\"\n"
    }
    let assistant = try Assistant(knowledge: kb, embeddings: Fixtures.embeddings)
    let match = assistant.matcher.match(assistant.analyze("zorblax for my back").features)
    #expect(match.best == "treatment.cupping")
    #expect(match.candidates.allSatisfy { $0.nearestExample != "zorblax on my back" })
    let plain = Fixtures.assistant
    #expect(plain.matcher.match(plain.analyze("zorblax for my back").features).best != match.best)
  }

  @Test func reportsExamplesForAnIntentNoFileDefines() throws {
    #expect {
      try modified("examples-voices.yaml") {
        $0 + "  - intent: treatment.cuping\n    examples:\n      - \"cups on my back\"\n"
      }
    } throws: { error in
      guard case KnowledgeBaseError.invalid(let problems) = error else { return false }
      return problems.contains {
        $0.file == "examples-voices.yaml" && $0.line != nil
          && $0.message.contains("'treatment.cuping', which no file defines")
      }
    }
  }
}
