/// How long a treatment's effect lasts, asked right after it.
///
/// "Does it last forever?" or "how long does the relief last?" after the answer on nerve
/// ablation asks about the ablation, not about how long back pain lasts, which the matcher
/// reads from "last" with high confidence. The words that point at an effect ("the relief",
/// "it", "they", "permanent", "wear off": `effect_lasting`) take the treatment's timing part,
/// which says what the articles give or that they give no figure. "How long till it goes
/// away?" is about the pain and is left to the matcher. (Added after v32 was scored, from its
/// conversations.)
extension Assistant {
  /// The current treatment's timing, for a question about how long its effect lasts.
  func effectLasting(_ message: PreparedMessage, state: inout DialogueState) -> Reply? {
    let tokens = message.analysis.tokens
    guard state.activeFlow == nil, let current = state.topic, current.hasPrefix("treatment."),
      let intent = knowledge.intent(named: current), asksSomething(tokens),
      cueSets["effect_lasting"]?.matchesAny(tokens) == true,
      cueSets["pain_lasting"]?.matchesAny(tokens) != true,
      namedTopic(tokens).map({ $0 == current || !isTopic($0) || $0.hasPrefix("about.") }) ?? true
    else { return nil }
    return answerTopic(
      intent, facet: "timing", confidence: 1, state: &state, query: message.embedding,
      open: asksOpenly(message))
  }
}
