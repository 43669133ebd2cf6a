/// Every citation in the knowledge base, with the file and the owner that makes it, so the
/// checks that concern sources (registered document, real heading) walk one list.
extension KnowledgeBase {
  /// One citation: the reference, the YAML file it is written in, and the intent, flow or
  /// emergency category that makes it.
  typealias Citation = (source: SourceRef, file: String, owner: String)

  /// Every citation, in intents, plan rules, checklist outcomes, emergency categories and
  /// facets.
  var citations: [Citation] {
    var cited: [Citation] = []
    for intent in intents {
      cited += intent.sources.map { ($0, intent.file, intent.name) }
    }
    for flow in flows.values.sorted(by: { $0.name < $1.name }) {
      for section in flow.plan?.sections ?? [] {
        for rule in section.rules { cited += rule.sources.map { ($0, "flows.yaml", flow.name) } }
      }
      if let outcomes = flow.outcomes {
        cited += (outcomes.seeDoctor.sources + outcomes.selfCare.sources).map {
          ($0, "flows.yaml", flow.name)
        }
      }
    }
    for category in emergencies.categories {
      cited += category.sources.map { ($0, "emergencies.yaml", category.name) }
    }
    for (intent, topic) in facets.sorted(by: { $0.key < $1.key }) {
      for (name, facet) in topic.facets.sorted(by: { $0.key < $1.key }) {
        cited += facet.sources.map { ($0, facetFiles[intent] ?? "facets", "\(intent) (\(name))") }
      }
    }
    for term in terms {
      cited += term.sources.map { ($0, "terms.yaml", "term \(term.name)") }
    }
    return cited
  }
}
