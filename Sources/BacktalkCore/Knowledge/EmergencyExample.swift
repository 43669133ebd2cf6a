/// One labelled message of the emergency corpus (`Intents/emergency_corpus.yaml`).
///
/// The lexicon only knows the phrases someone thought to write down; people describe the same
/// signs in words nobody listed. The corpus teaches ``EmergencyClassifier`` how they do, so it
/// is data like the intents' examples: adding a phrasing means adding a row, not Swift.
public struct EmergencyExample: Codable, Hashable, Sendable {
  /// The message as a person might type it.
  public var text: String
  /// An emergency category, `distress` (despair about the pain, no emergency sign), or nil for
  /// a harmless message.
  public var category: String?
  /// Where the row came from: `lexicon_table` rows are the lexicon's own regression table
  /// (it must get every one right); `self_harm_model` rows teach only the dedicated self-harm
  /// model (``Assistant/selfHarmRows(_:)``); other rows teach both models.
  public var origin: String?
  /// The origin of rows that teach only the dedicated self-harm model.
  public static let selfHarmModelOrigin = "self_harm_model"

  /// Whether the emergency classifier trains on this row.
  public var teachesClassifier: Bool { origin != Self.selfHarmModelOrigin }

  /// Creates a row.
  public init(text: String, category: String?, origin: String? = nil) {
    self.text = text
    self.category = category
    self.origin = origin
  }
}
