/// The parts of one topic's answer, each short and with its own sources, from
/// `Intents/facets-*.yaml`.
///
/// One paragraph per topic answers the first question and nothing after it: "how long each
/// time?", "is that safe while pregnant?" and "does it actually work?" each want one part. A
/// facet the articles do not cover is recorded as a gap, with whom to ask, so the bot can say
/// so honestly instead of falling back as if the question were off topic.
public struct TopicFacets: Codable, Hashable, Sendable {
  /// The intent (topic) these facets belong to.
  public var intent: String
  /// Facet name (see ``FacetName``) to its answer.
  public var facets: [String: FacetAnswer]
  /// Facet name to whom to ask, for facets the articles do not cover.
  public var gaps: [String: String]

  /// Creates a topic's facets.
  public init(intent: String, facets: [String: FacetAnswer], gaps: [String: String] = [:]) {
    self.intent = intent
    self.facets = facets
    self.gaps = gaps
  }

  private enum CodingKeys: String, CodingKey { case intent, facets, gaps }

  /// Decodes a topic's facets; `facets` and `gaps` are optional.
  public init(from decoder: any Decoder) throws {
    let c = try decoder.container(keyedBy: CodingKeys.self)
    intent = try c.decode(String.self, forKey: .intent)
    facets = try c.decodeIfPresent([String: FacetAnswer].self, forKey: .facets) ?? [:]
    gaps = try c.decodeIfPresent([String: String].self, forKey: .gaps) ?? [:]
  }
}

/// One facet of a topic: a short answer and where it comes from.
public struct FacetAnswer: Codable, Hashable, Sendable {
  /// The text, in the project's own words (at most about 80 words).
  public var answer: String
  /// The sections it draws on.
  public var sources: [SourceRef]

  /// Creates a facet answer.
  public init(answer: String, sources: [SourceRef]) {
    self.answer = answer
    self.sources = sources
  }
}

/// The facets a question can ask about.
public enum FacetName: String, CaseIterable, Sendable {
  /// What to do, step by step; which ones.
  case how
  /// How long, how often, when it helps, how soon it works.
  case timing
  /// Risks, side effects, who should avoid it.
  case safety
  /// What the articles say about how well it works.
  case evidence
  /// Notes for pregnancy.
  case pregnancy
  /// Notes for older adults.
  case seniors
  /// Notes for people who sit at a desk all day.
  case deskWorkers = "desk_workers"
}
