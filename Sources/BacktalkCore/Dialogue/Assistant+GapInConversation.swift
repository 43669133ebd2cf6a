/// A message the matcher sets outside the domain, in the middle of a conversation about the
/// person's back.
///
/// Graded conversations (v29-v31) showed that such a reading is almost never right there: of
/// fourteen replies "Sorry, I can't help with that" given mid-conversation, thirteen were
/// judged wrong ("but I have eczema on my back sometimes", "should I quit gardening or just do
/// less", "what about kinesio tape"). The person is still talking about their back; what
/// they ask is most often something the articles do not cover. So, unless the message is
/// plainly about something else (another body part, another field's words, a service, an
/// animal), the reply is the honest gap with whom to ask, or, for something told, a thanks
/// and the same honesty, never the off-topic line.
extension Assistant {
  /// The honest gap for an off-domain reading in a conversation, or nil when the message is
  /// plainly about something else.
  func gapInConversation(
    _ message: PreparedMessage, _ match: IntentMatch, state: inout DialogueState
  ) -> Reply? {
    let analysis = message.analysis
    let tokens = analysis.tokens
    // (A question typed without its mark, "anything quick i can do at my desk", is still
    // asked: only a message with none of the words questions are made of is told.)
    let asks =
      asksSomething(tokens)
      || tokens.contains { Self.questionWords.contains($0) || Self.askingWords.contains($0) }
    guard match.best == "out_of_scope",
      let topic = state.topic.flatMap({ knowledge.intent(named: $0) }), isTopic(topic.name),
      state.emergency == nil,
      cueSets["other_body_part"]?.matchesAny(tokens) != true,
      cueSets["service_request"]?.matchesAny(tokens) != true,
      cueSets["animal_patient"]?.matchesAny(tokens) != true,
      !asks || cueSets["other_condition"]?.matchesAny(tokens) != true,
      // Words of another field ("who won the football?") keep the off-topic reading, unless
      // the matcher itself is unsure of it ("should I quit gardening or just do less").
      match.confidence < Self.conversationGapBelow
        || domainWords(analysis).map({ $0.foreign.isEmpty }) ?? true,
      let line = settings.messages[asks ? "gap_in_conversation" : "told_in_conversation"]
    else { return nil }
    // (A thing of another topic named is that topic's question: see ``otherTopicNamed``.)
    if let reply = otherTopicNamed(tokens, besides: topic.name, match, state: &state) {
      return reply
    }
    var text = fill(line, extra: ["whom": whom(topic, facet: "gap")])
    if let net = safetyNet(analysis) { text += "\n\n" + net }
    var reply = Reply(
      text: text, intent: topic.name, confidence: 1, kind: .answer,
      suggestions: topic.suggestions)
    reply.facet = "gap"
    reply.trace = match
    return reply
  }

  /// Below this confidence an off-topic reading in a conversation is not trusted even with
  /// words of another field: "who won the football last night?" reads at 0.95, "should I quit
  /// gardening or just do less" at 0.60.
  static let conversationGapBelow = 0.8

  /// Words besides the question words that make a message a question even without a
  /// question mark ("anything quick i can do", "worth it").
  static let askingWords: Set<String> = ["anything", "any", "ok", "okay", "worth"]
}
