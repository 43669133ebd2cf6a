/// The union of everything one YAML file of `Intents/` may hold.
///
/// Authors group content as they like (one file per intent group); the loader decodes each file
/// into this shape and merges them, so which file holds what is the author's choice.
public struct KnowledgeFile: Codable, Sendable {
  /// Intents.
  public var intents: [Intent]?
  /// Guided flows.
  public var flows: [FlowDefinition]?
  /// Emergency categories.
  public var categories: [EmergencyCategory]?
  /// Emergency context cues.
  public var context: EmergencyContext?
  /// Spelling folds.
  public var spellings: [String: String]?
  /// Synonym sets.
  public var concepts: [Concept]?
  /// Emergency numbers.
  public var regions: [Region]?
  /// Settings.
  public var settings: Settings?
  /// Slot words.
  public var slots: SlotLexicon?
  /// Labelled messages for the emergency classifier.
  public var emergencyCorpus: [EmergencyExample]?
  /// Topics' answers by facet.
  public var facets: [TopicFacets]?
  /// The seed articles' titles and publishers.
  public var documents: [SourceDocument]?
  /// Named things inside topics.
  public var terms: [Term]?
  /// More examples for intents defined in other files.
  public var examples: [ExampleSet]?
  /// Named word sets that patterns use as `@name` (see ``WordClasses``).
  public var wordClasses: [String: [String]]?

  private enum CodingKeys: String, CodingKey {
    case intents, flows, categories, context, spellings, concepts, regions, settings, slots, facets
    case documents, terms, examples
    case emergencyCorpus = "emergency_corpus"
    case wordClasses = "word_classes"
  }
}
