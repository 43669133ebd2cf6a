import BacktalkCore

/// A recorded conversation file: the regression tests of the knowledge and the matcher,
/// readable (and writable) by a non-programmer.
///
/// The format is documented in the README ("Transcripts"). A file holds a title, options and
/// one or more conversations; each conversation starts from a fresh session and is a list of
/// user turns, each with the expectations its reply must meet.
public struct Transcript: Equatable, Sendable {
  /// The file's title.
  public var title: String
  /// The region the file is replayed with.
  public var region: String
  /// Comment lines at the top of the file, kept when rewriting.
  public var header: [String]
  /// The conversations.
  public var conversations: [Conversation]

  /// One conversation, replayed from a fresh session.
  public struct Conversation: Equatable, Sendable {
    /// Its name (the `===` line).
    public var name: String
    /// Its 1-based line in the file.
    public var line: Int
    /// The user turns.
    public var turns: [Turn]
  }

  /// A user message and what its reply must be.
  public struct Turn: Equatable, Sendable {
    /// What the user types.
    public var user: String
    /// The 1-based line of the `>` line.
    public var line: Int
    /// Comment lines just above the turn, kept when rewriting.
    public var comments: [String]
    /// The expectations, in file order.
    public var expectations: [Expectation]
  }

  /// One checked property of a reply.
  public struct Expectation: Equatable, Sendable {
    /// The property (`text`, `contains`, `intent`, `slots`...).
    public var key: String
    /// The expected value as written.
    public var value: String
    /// `!key:` — the property must NOT have this value.
    public var isNegated: Bool
    /// The 1-based line.
    public var line: Int

    /// Creates an expectation.
    public init(key: String, value: String, isNegated: Bool = false, line: Int = 0) {
      self.key = key
      self.value = value
      self.isNegated = isNegated
      self.line = line
    }
  }

  /// Creates a transcript.
  public init(
    title: String, region: String = "us", header: [String] = [], conversations: [Conversation]
  ) {
    self.title = title
    self.region = region
    self.header = header
    self.conversations = conversations
  }

  /// The keys an expectation may use.
  public static let keys: Set<String> = [
    "text", "contains", "matches", "intent", "kind", "confidence", "escalate", "category",
    "flow", "awaiting", "slots", "slot", "suggestions", "suggestion", "sources", "source",
    "options",
  ]
}
