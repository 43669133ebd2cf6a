/// The matcher's language data from `Intents/concepts.yaml` and `Intents/settings.yaml`.
///
/// Synonym sets turn "advil", "aleve" and "ibuprofen" into one concept, so an example written
/// with one brand teaches the matcher about all of them.
public struct Vocabulary: Codable, Hashable, Sendable {
  /// Word-for-word spelling folds applied first (mum -> mom).
  public var spellings: [String: String]
  /// Synonym sets.
  public var concepts: [Concept]

  /// Creates a vocabulary.
  public init(spellings: [String: String] = [:], concepts: [Concept] = []) {
    self.spellings = spellings
    self.concepts = concepts
  }
}

/// One synonym set.
public struct Concept: Codable, Hashable, Sendable {
  /// The concept's name, used as a matcher feature (`#nsaid`).
  public var name: String
  /// Its words and phrases.
  public var terms: [String]
}
