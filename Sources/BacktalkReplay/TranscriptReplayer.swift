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
  private let knowledge: KnowledgeBase

  /// Creates a replayer over a knowledge base; assistants are built per region on demand.
  ///
  /// - Throws: an error from building the assistant for a region.
  public init(
    knowledge: KnowledgeBase, regions: Set<String> = ["us"],
    embeddings: StaticEmbeddingTable? = nil
  ) throws {
    self.knowledge = knowledge
    self.embeddings = embeddings
    var built: [String: Assistant] = [:]
    for region in regions {
      built[region] = try Assistant(knowledge: knowledge, region: region, embeddings: embeddings)
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
      assistant = try Assistant(
        knowledge: knowledge, region: transcript.region, embeddings: embeddings)
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
