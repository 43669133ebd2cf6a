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
  /// The whole message's analysis and vector when ``analysis`` leaves out an announcing opening
  /// ("wait quick q before I forget -"), else nil: an emergency's follow-through and a safety
  /// check's answer read every word.
  var whole: (analysis: Analysis, embedding: [Float])? = nil

  /// The message as typed, with nothing left out.
  var wholeMessage: PreparedMessage {
    guard let whole else { return self }
    return PreparedMessage(
      analysis: whole.analysis, emergency: emergency, safety: safety, embedding: whole.embedding,
      ranking: nil)
  }

  /// The same message with its ranking computed, so that the layers which consult it (the
  /// profile, follow-ups, flow manners, digressions, the matcher's answer) share one match.
  func ranked(by rank: () -> IntentMatch) -> PreparedMessage {
    guard ranking == nil else { return self }
    var ranked = PreparedMessage(
      analysis: analysis, emergency: emergency, safety: safety, embedding: embedding,
      ranking: rank())
    ranked.whole = whole
    return ranked
  }
}
