import BacktalkCore
import Foundation
import Testing

@Suite struct SourceDocumentTests {
  func loading(_ change: (String, String) -> String) throws -> KnowledgeBase {
    try KnowledgeBase(
      files: Fixtures.knowledgeFiles().map { ($0.name, change($0.name, $0.contents)) })
  }

  @Test func everyCitationInTheShippedKnowledgeCarriesItsArticlesTitle() {
    let kb = Fixtures.knowledge
    let sources =
      kb.intents.flatMap(\.sources) + kb.emergencies.categories.flatMap(\.sources)
      + kb.flows.values.flatMap { flow in
        (flow.plan?.sections ?? []).flatMap { $0.rules.flatMap(\.sources) }
          + (flow.outcomes.map { $0.seeDoctor.sources + $0.selfCare.sources } ?? [])
      }
    #expect(sources.count > 50)
    for source in sources {
      #expect(!source.title.isEmpty, "\(source.document) has no title")
      #expect(!source.title.hasSuffix(".txt"))
      #expect(source.title == kb.documents[source.document]?.title)
    }
  }

  @Test func aCitedDocumentMissingFromTheRegistryStopsTheLoad() throws {
    do {
      _ = try loading { name, contents in
        name == "documents.yaml"
          ? contents.replacingOccurrences(
            of:
              "  - file: 003_701ec1993a384cc0.txt\n    title: Treat Chronic Upper Back Pain Without Surgery\n",
            with: "")
          : contents
      }
      Issue.record("a knowledge base citing an unregistered document loaded")
    } catch KnowledgeBaseError.invalid(let problems) {
      #expect(
        problems.contains {
          $0.message.contains("003_701ec1993a384cc0.txt")
            && $0.message.contains("documents.yaml does not list")
        }, "\(problems)")
    }
  }

  @Test func theValidatorReportsARegistryEntryThatIsNotASeed() throws {
    guard let seeds = Fixtures.seedFiles() else {
      print("theValidatorReportsARegistryEntryThatIsNotASeed: skipped, ../shared/seeds absent")
      return
    }
    let kb = try loading { name, contents in
      name == "documents.yaml"
        ? contents + "  - file: 999_missing.txt\n    title: Not a seed\n" : contents
    }
    let problems = KnowledgeValidator(assistant: try Assistant(knowledge: kb)).problems(
      seeds: seeds)
    #expect(problems.contains { $0.file == "documents.yaml" && $0.message.contains("999_missing") })
  }

  @Test func theWireReplyGivesTitleAndPublisherBesideDocumentAndSection() throws {
    var service = JSONLinesService(assistant: Fixtures.assistant)
    let line = #"{"id":1,"session":"s","text":"is heat or ice better for my upper back?"}"#
    let answered = service.handle(line: Array(line.utf8), now: .now)
    let reply = try #require(answered)
    let value = try JSONParser.parse(Array(reply.utf8))
    guard case .array(let sources)? = value["sources"], let first = sources.first else {
      Issue.record("no sources in \(reply)")
      return
    }
    #expect(first["document"] != nil && first["section"] != nil)
    guard case .string(let title)? = first["title"] else {
      Issue.record("no title in \(reply)")
      return
    }
    #expect(!title.hasSuffix(".txt"))
    #expect(first["publisher"] != nil)
  }
}
