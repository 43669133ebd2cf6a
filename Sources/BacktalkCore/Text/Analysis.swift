/// One message as every component sees it, computed once per message.
public struct Analysis: Sendable {
  /// The message as typed.
  public let text: String
  /// Normalised tokens with clause (`|`) and sentence (`.`) breaks, typos left as typed.
  public let rawTokens: [String]
  /// The same tokens with typos corrected toward the knowledge base's vocabulary.
  public let tokens: [String]
  /// The matcher's features: `w:` stems, `b:` stem bigrams, `c:` concepts.
  public let features: [String]
}
