/// More examples for an intent defined in another file.
///
/// Ways of asking gathered apart from the intent's own definition (another author, another
/// voice) stay in a file of their own, so where each example came from remains visible, while
/// the matcher learns from all of them as one list.
public struct ExampleSet: Codable, Sendable, Equatable {
  /// The intent the examples belong to; it must be defined in some file.
  public var intent: String
  /// The messages.
  public var examples: [String]

  /// Creates a set.
  public init(intent: String, examples: [String]) {
    self.intent = intent
    self.examples = examples
  }
}
