import BacktalkCore

/// Replays transcripts in-process against an assistant and reports every difference.
public struct TranscriptReplayer: Sendable {
  /// The outcome of one conversation.
  public struct Result: Sendable, Equatable {
    /// The file it came from.
    public var file: String
    /// The conversation's name.
    public var conversation: String
    /// The conversation's line.
    public var line: Int
    /// How many turns were replayed.
    public var turns: Int
    /// The differences (empty when it passed).
    public var failures: [Failure]
    /// The replies, in order (for coverage and `--update`).
    public var replies: [Reply]

    /// Whether every expectation held.
    public var passed: Bool { failures.isEmpty }
  }

  /// One expectation that did not hold.
  public struct Failure: Sendable, Equatable, CustomStringConvertible {
    /// The 1-based turn number within the conversation.
    public var turn: Int
    /// The line of the expectation in the file.
    public var line: Int
    /// The key.
    public var key: String
    /// What the file expects (with `!` when negated).
    public var expected: String
    /// What the bot did.
    public var actual: String

    /// A readable report, with a diff for text.
    public var description: String {
      if key == "text" && !expected.hasPrefix("!") {
        return "turn \(turn) (line \(line)): text differs\n"
          + TextDiff.unified(expected: expected, actual: actual)
      }
      return
        "turn \(turn) (line \(line)): \(key)\n--- expected\n+++ actual\n- \(expected)\n+ \(actual)"
    }
  }

  private let assistants: [String: Assistant]
  private let base: Assistant

  /// Creates a replayer over a knowledge base; assistants are built per region on demand.
  ///
  /// - Throws: an error from building the assistant for a region.
  public init(
    knowledge: KnowledgeBase, regions: Set<String> = ["us"],
    embeddings: StaticEmbeddingTable? = nil
  ) throws {
    try self.init(
      assistant: try Assistant(knowledge: knowledge, embeddings: embeddings), regions: regions)
  }

  /// Creates a replayer around an assistant already built (or read from the start-up cache);
  /// the assistants of other regions share its compiled parts, so nothing is compiled again.
  ///
  /// - Parameters:
  ///   - assistant: the assistant transcripts without a `region:` line (or with its region)
  ///     are replayed against.
  ///   - regions: other regions to prepare now (others are prepared when a transcript asks).
  /// - Throws: an error from assembling the assistant for a region.
  public init(assistant: Assistant, regions: Set<String> = []) throws {
    base = assistant
    embeddings = assistant.embeddingTable
    var built: [String: Assistant] = [assistant.region.code: assistant]
    for region in regions where built[region] == nil {
      built[region] = try assistant.inRegion(region)
    }
    assistants = built
  }

  /// The sentence-embedding table the assistants are built with (the shipped one, so that a
  /// transcript replays exactly as the binary answers).
  public let embeddings: StaticEmbeddingTable?

  /// Replays every conversation of a transcript.
  public func replay(_ transcript: Transcript, file: String) throws -> [Result] {
    let assistant: Assistant
    if let existing = assistants[transcript.region] {
      assistant = existing
    } else {
      assistant = try base.inRegion(transcript.region)
    }
    return transcript.conversations.map { conversation in
      var state = DialogueState()
      var failures: [Failure] = []
      var replies: [Reply] = []
      for (index, turn) in conversation.turns.enumerated() {
        let reply = assistant.respond(to: turn.user, state: &state)
        replies.append(reply)
        for e in turn.expectations {
          let holds = ReplyFields.holds(e, for: reply)
          if holds == e.isNegated {
            failures.append(
              Failure(
                turn: index + 1, line: e.line, key: e.key,
                expected: (e.isNegated ? "!" : "") + e.value,
                actual: ReplyFields.value(e.key, of: reply)))
          }
        }
      }
      return Result(
        file: file, conversation: conversation.name, line: conversation.line,
        turns: conversation.turns.count, failures: failures, replies: replies)
    }
  }
}
