import BacktalkCore

/// Turns a conversation just held into a transcript with every expectation filled in, so a
/// reviewed conversation becomes a regression test in one step.
public struct TranscriptRecorder: Sendable {
  private var transcript: Transcript

  /// Starts recording.
  public init(region: String = "us") {
    transcript = Transcript(title: "Recorded conversation", region: region, conversations: [])
  }

  /// The number of turns recorded so far.
  public var turnCount: Int { transcript.conversations.reduce(0) { $0 + $1.turns.count } }

  /// Starts a new conversation (after a reset), optionally named.
  public mutating func startConversation(named name: String? = nil) {
    let title = name ?? "conversation \(transcript.conversations.count + 1)"
    if let last = transcript.conversations.indices.last,
      transcript.conversations[last].turns.isEmpty
    {
      transcript.conversations[last].name = title
      return
    }
    transcript.conversations.append(Transcript.Conversation(name: title, line: 0, turns: []))
  }

  /// Records one exchange.
  public mutating func append(user: String, reply: Reply) {
    if transcript.conversations.isEmpty {
      transcript.conversations.append(
        Transcript.Conversation(name: "conversation 1", line: 0, turns: []))
    }
    let c = transcript.conversations.count - 1
    transcript.conversations[c].turns.append(
      Transcript.Turn(user: user, line: 0, comments: [], expectations: ReplyFields.recorded(reply)))
  }

  /// The transcript text.
  public func transcript(title: String) -> String {
    var t = transcript
    t.title = title
    return TranscriptWriter.write(t)
  }

  /// Re-records a transcript's expectations from replay results, keeping its structure and comments.
  public static func updated(_ transcript: Transcript, with results: [TranscriptReplayer.Result])
    -> Transcript
  {
    var t = transcript
    for (c, result) in zip(t.conversations.indices, results) {
      for (i, reply) in zip(t.conversations[c].turns.indices, result.replies) {
        t.conversations[c].turns[i].expectations = ReplyFields.recorded(reply)
      }
    }
    return t
  }
}

/// Writes transcripts in the format ``TranscriptParser`` reads.
public enum TranscriptWriter {
  /// The file text.
  public static func write(_ t: Transcript) -> String {
    var lines = t.header
    lines.append("title: \(t.title)")
    if t.region != "us" { lines.append("region: \(t.region)") }
    for conversation in t.conversations {
      lines.append("")
      lines.append("=== \(conversation.name)")
      for turn in conversation.turns {
        lines.append(contentsOf: turn.comments)
        lines.append("> \(turn.user)")
        for e in turn.expectations {
          if e.key == "text" && !e.isNegated {
            for textLine in e.value.split(separator: "\n", omittingEmptySubsequences: false) {
              lines.append(textLine.isEmpty ? "<" : "< \(textLine)")
            }
          } else {
            lines.append("\(e.isNegated ? "!" : "")\(e.key): \(e.value)")
          }
        }
      }
    }
    return lines.joined(separator: "\n") + "\n"
  }
}
