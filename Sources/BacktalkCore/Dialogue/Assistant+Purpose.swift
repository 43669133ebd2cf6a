/// Questions whose purpose lies outside the person's care.
///
/// "How much does a massage therapist earn?", "does Bupa cover chiropractic?", "where can I buy
/// a standing desk near me?", "did Tiger Woods have back surgery?": each shares a topic's word,
/// and the matcher, which weighs words, is sure of that topic. What is asked (money, a job, a
/// purchase, a famous person, an animal's pain) is what no article answers, so the reading is
/// out of scope. The cues are data (`purpose_elsewhere`, `animal_patient` and `purpose_care` in
/// `settings.yaml`); a message that tells of pain or of the person's own back, or asks whether
/// something helps, is safe, works or is worth it, keeps its topic.
extension Assistant {
  /// The match with out of scope first when the message's purpose lies elsewhere.
  func withPurpose(_ match: IntentMatch, tokens: [String]) -> IntentMatch {
    // (A question or a short request: "nearly died when I saw the price of standing desks" is a
    // remark, whatever its words.)
    guard let top = match.candidates.first, top.intent != "out_of_scope",
      !conversational.contains(top.intent),
      asksSomething(tokens) || tokens.count <= Self.shortRequestTokens,
      cueSets["purpose_elsewhere"]?.matchesAny(tokens) == true
        && !match.features.contains(where: Self.careConcepts.contains)
        // (An animal's pain is told in the words of pain, and is still not the person's.)
        || cueSets["animal_patient"]?.matchesAny(tokens) == true,
      cueSets["purpose_care"]?.matchesAny(tokens) != true
    else { return match }
    return match.promoting("out_of_scope", confidence: 0.5)
  }

  /// A request this short ("book me a massage for 5pm") needs no question's grammar.
  static let shortRequestTokens = 8

  /// Concepts of the person's care: pain told, or whether something helps, is safe or works.
  static let careConcepts: Set<String> = [
    "c:pain", "c:severe_pain", "c:mild_moderate_pain", "c:effective", "c:safety",
    "c:nerve_symptom", "c:worse",
  ]
}
