/// "What can I do?" asked in words the matcher spreads over several intents.
///
/// "In the meantime what can I do for the pain?" reads a little as the plan, a little as the
/// help intent (what the assistant can do) and a little as home care, none of them sure enough
/// to answer, so the message fell to "I'm not sure I understood". All of them answer the same
/// need; pooled, the reading is sure, and home care (or quick relief, where it reads higher)
/// answers it, as the plan's answer-first topic does for a question that tells no story.
extension Assistant {
  /// The match with the self-care topic first when the readings of "what can I do" together
  /// are sure and none alone is.
  func withSelfCareFamily(_ match: IntentMatch, analysis: Analysis) -> IntentMatch {
    guard match.confidence < settings.fallbackBelow,
      let top = match.candidates.first?.intent, Self.selfCareFamily.contains(top)
    else { return match }
    // Asked of oneself ("what can I do"), not of the assistant ("what can you do"), and asked:
    // "I don't know how much more I can take" is despair, not a question about home care.
    let words = Set(analysis.tokens)
    guard words.contains("i"), words.isDisjoint(with: Self.secondPerson),
      asksSomething(analysis.tokens)
    else { return match }
    let family = match.candidates.prefix(Self.selfCareReadings).filter {
      Self.selfCareFamily.contains($0.intent)
    }
    let pooled = family.reduce(0) { $0 + $1.score }
    guard family.count >= 2, pooled >= settings.fallbackBelow,
      // (A story with the intake's answers is the intake's: "upper back, 3 weeks, 5/10, what
      // do I do?")
      extractor.extract(analysis.tokens).count < 2
    else { return match }
    let answer =
      family.first { Self.selfCareTopics.contains($0.intent) }?.intent ?? Self.selfCareTopics[0]
    return match.promoting(answer, confidence: pooled, replacingBest: true)
  }

  /// The intents that all answer "what can I do": the plan, the assistant's help, home care
  /// and quick relief.
  static let selfCareFamily: Set<String> = [
    "plan.start", "help", "advice.relief_at_home", "advice.quick_relief",
  ]

  /// The topics of that family that answer it, home care first.
  static let selfCareTopics = ["advice.relief_at_home", "advice.quick_relief"]

  /// How many of the matcher's first readings are pooled.
  static let selfCareReadings = 3
}
