/// Questions whose purpose lies outside the person's care.
///
/// "How much does a massage therapist earn?", "does Bupa cover chiropractic?", "where can I buy
/// a standing desk near me?", "did Tiger Woods have back surgery?": each shares a topic's word,
/// and the matcher, which weighs words, is sure of that topic. What is asked (money, a job, a
/// purchase, a famous person) is what no article answers, so the reading is out of scope. The
/// cues are data (`purpose_elsewhere` and `purpose_care` in `settings.yaml`); a message that
/// tells of pain or of the person's own back, or asks whether something helps, is safe, works or
/// is worth it, keeps its topic.
extension Assistant {
  /// The match with out of scope first when the message's purpose lies elsewhere.
  func withPurpose(_ match: IntentMatch, tokens: [String]) -> IntentMatch {
    // (A question or a short request: "nearly died when I saw the price of standing desks" is a
    // remark, whatever its words.)
    guard let top = match.candidates.first, top.intent != "out_of_scope",
      !conversational.contains(top.intent),
      asksSomething(tokens) || tokens.count <= Self.shortRequestTokens,
      cueSets["purpose_elsewhere"]?.matchesAny(tokens) == true,
      !match.features.contains(where: Self.careConcepts.contains),
      cueSets["purpose_care"]?.matchesAny(tokens) != true
    else { return match }
    let others = match.candidates.filter { $0.intent != "out_of_scope" }
    let outside = IntentMatch.Candidate(
      intent: "out_of_scope", score: top.score,
      nearestExample: match.candidates.first { $0.intent == "out_of_scope" }?.nearestExample
        ?? "", matchedFeatures: [])
    return IntentMatch(
      candidates: [outside] + others.prefix(4), confidence: max(match.confidence, 0.5),
      features: match.features)
  }

  /// A request this short ("book me a massage for 5pm") needs no question's grammar.
  static let shortRequestTokens = 8

  /// Concepts of the person's care: pain told, or whether something helps, is safe or works.
  static let careConcepts: Set<String> = [
    "c:pain", "c:severe_pain", "c:mild_moderate_pain", "c:effective", "c:safety",
    "c:nerve_symptom", "c:worse",
  ]
}

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
