/// The question of a long message, read on its own.
///
/// "Long story, but I've had this pain for a month, been taking ibuprofen and doing stretches
/// from YouTube, and sometimes my fingers tingle. Is this the point where I see my GP?": the
/// story's words (a month, ibuprofen, stretches) pull the whole message towards the plan or
/// off-topic, while what is asked is in its last question. When the message tells a story of
/// several sentences, is read whole as a request for a plan or as off-topic, and ends with a
/// question the matcher places on its own, the question's reading wins. (A whole reading of a
/// topic stays: "what is that and how long does it last?" points back at the story's thing.)
extension Assistant {
  /// The match of the message's last question when that is the better reading of a long message.
  func withQuestionFocus(_ match: IntentMatch, analysis: Analysis) -> IntentMatch {
    let tokens = analysis.tokens
    guard tokens.count >= Self.storyTokens, let top = match.best, Self.storyReadings.contains(top)
    else { return match }
    let sentences = EmergencyDetector.sentences(of: tokens)
    guard sentences.count >= 2, let last = sentences.last(where: { $0.isQuestion }),
      last.range.lowerBound > 0
    else { return match }
    let question = Array(tokens[last.range])
    guard question.count >= 3 else { return match }
    let reading = matcher.match(
      analyzer.features(of: question), embedding: sentenceVector(question.joined(separator: " ")))
    guard let asked = reading.best, isTopic(asked), reading.confidence >= Self.confidentQuestion
    else { return match }
    return IntentMatch(
      candidates: reading.candidates, confidence: reading.confidence, features: match.features)
  }

  /// A message this long (in tokens) can tell a story before its question.
  static let storyTokens = 22
  /// Readings of a whole story that its question may correct: a request for the plan, or
  /// off-topic.
  static let storyReadings: Set<String> = ["plan.start", "out_of_scope", "triage.start"]
  /// How sure the reading of the question alone must be.
  static let confidentQuestion = 0.5
}
