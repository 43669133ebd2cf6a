/// A seed article as a reader knows it: the file answers cite, and its title and publisher.
///
/// Answers cite `document` (a file name) and `section` because that pair is what the
/// validator can check against the seeds; a person wants the article's title instead. The
/// registry (`Intents/documents.yaml`) maps one to the other, and loading the knowledge base
/// copies each title into every ``SourceRef`` that cites the file, so every front end shows
/// titles without a lookup of its own.
public struct SourceDocument: Codable, Hashable, Sendable {
  /// The seed file name, for example `004_9114f1cecb1cd55b.txt`.
  public var file: String
  /// The article's title.
  public var title: String
  /// Who published it, when the article says.
  public var publisher: String?

  /// Creates a registry entry.
  public init(file: String, title: String, publisher: String? = nil) {
    self.file = file
    self.title = title
    self.publisher = publisher
  }
}

extension Array where Element == SourceRef {
  /// The references with the title and publisher of their document filled in (references to
  /// documents not in the registry are left untitled; ``StructureCheck`` reports them).
  func titled(by documents: [String: SourceDocument]) -> [SourceRef] {
    map { source in
      guard let document = documents[source.document] else { return source }
      var titled = source
      titled.title = document.title
      titled.publisher = document.publisher
      return titled
    }
  }
}

extension FlowDefinition {
  /// The flow with every plan rule's and outcome's sources titled.
  func titled(by documents: [String: SourceDocument]) -> FlowDefinition {
    var flow = self
    if var plan = flow.plan {
      for s in plan.sections.indices {
        for r in plan.sections[s].rules.indices {
          plan.sections[s].rules[r].sources = plan.sections[s].rules[r].sources.titled(
            by: documents)
        }
      }
      flow.plan = plan
    }
    if var outcomes = flow.outcomes {
      outcomes.seeDoctor.sources = outcomes.seeDoctor.sources.titled(by: documents)
      outcomes.selfCare.sources = outcomes.selfCare.sources.titled(by: documents)
      flow.outcomes = outcomes
    }
    return flow
  }
}

extension TopicFacets {
  /// The topic with every facet's sources titled.
  func titled(by documents: [String: SourceDocument]) -> TopicFacets {
    var topic = self
    topic.facets = facets.mapValues { facet in
      var titled = facet
      titled.sources = facet.sources.titled(by: documents)
      return titled
    }
    return topic
  }
}
