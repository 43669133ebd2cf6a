/// What a message says before the conversation is consulted: its analysis, its emergency check
/// and, when asked for, its ranking of intents.
///
/// This half of understanding depends on the text alone, so `serve` prepares a batch of lines on
/// every core at once and only the half that reads and writes a conversation
/// (``Assistant/respond(to:state:includeTrace:)-(PreparedMessage,_,_)``) runs line by line, in
/// order.
public struct PreparedMessage: Sendable {
  /// The normalised message.
  public let analysis: Analysis
  /// The emergency check, done first on every message whatever the conversation is doing.
  let emergency: EmergencyFinding?
  /// The emergency classifier's view of the same message.
  let safety: EmergencyScore
  /// The message's sentence vector (empty without an embedding table).
  let embedding: [Float]
  /// The unrestricted intent ranking, when it was computed ahead; otherwise computed on demand.
  let ranking: IntentMatch?

  /// The same message with its ranking computed, so that the layers which consult it (the
  /// profile, follow-ups, flow manners, digressions, the matcher's answer) share one match.
  func ranked(by rank: () -> IntentMatch) -> PreparedMessage {
    guard ranking == nil else { return self }
    return PreparedMessage(
      analysis: analysis, emergency: emergency, safety: safety, embedding: embedding,
      ranking: rank())
  }
}
