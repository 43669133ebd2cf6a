/// "btw I really don't want needles or injections of any kind", "I hate pills": a preference
/// told, with no question. It had been answered with the very thing refused (the matcher reads
/// the treatment's name), or with a long plan that still named acupuncture to someone who will
/// have no needles. A person who says what they will not have expects it to be heard: the reply
/// says what will be left out and names the options that are left, and everything after
/// (plans, "what else?", lists of options) leaves it out too. (Thirty-ninth session, from
/// v62's graded conversations, before v63 was scored.)
extension Assistant {
  /// The reply to a preference told as a statement, or nil when the message asks something,
  /// refuses nothing the knowledge base names, or says more than the refusal.
  func statedPreference(_ message: PreparedMessage, state: inout DialogueState) -> Reply? {
    let tokens = message.analysis.tokens
    guard state.activeFlow == nil, !asksSomething(tokens), !leadsWithRequest(tokens),
      let line = settings.messages["preference_noted"],
      let avoided = avoidedTopics(tokens),
      // (Nothing else told or asked beside it: "it resolved without surgery, just checking
      // which exercises are safe" asks about exercise.)
      namedTopic(avoided.rest, keepingPopulations: true) == nil,
      // (Nor a story with a preference inside it: "uni student, basically live on my laptop...
      // i dont want to take pills for it" is the story's to answer, the preference kept.)
      avoided.rest.filter({ !TextNormalizer.isBreak($0) }).count <= Self.preferenceAsideWords
    else { return nil }
    for topic in avoided.topics where !state.profile.avoid.contains(topic) {
      state.profile.avoid.append(topic)
    }
    let names = avoided.topics.compactMap { knowledge.intent(named: $0) }.map {
      Self.inSentence($0.title)
    }
    let options = untried(state, exhausted: false)
    var text = fill(line, extra: ["topics": Self.spokenList(names)])
    if !options.isEmpty, let more = settings.messages["preference_options"] {
      text +=
        " "
        + fill(
          more,
          extra: ["options": options.map { Self.inSentence($0.title) }.joined(separator: ", ")]
        )
    }
    var reply = Reply(
      text: text, intent: nil, confidence: 1, kind: .answer,
      suggestions: options.prefix(3).map(\.title))
    reply.facet = Self.untriedFacet
    state.lastFacet = Self.untriedFacet
    markOffered(options, in: &state)
    return reply
  }

  /// How many words beside a preference still leave it the message's point.
  static let preferenceAsideWords = 12

  /// Every topic a message refuses, with the rest of its words.
  ///
  /// The topic of its wish (``avoidance(_:)``), each further thing a word of refusal reaches
  /// ("not a needle and not a pill"), and every kind of a family refused by name ("no
  /// injections of any kind": all the injections). Nil when the message holds no wish to go
  /// without.
  func avoidedTopics(_ tokens: [String]) -> (topics: [String], rest: [String])? {
    guard let wish = cueSets["treatment_preference"]?.matches(in: tokens).first,
      let (first, _) = avoidance(tokens)
    else { return nil }
    var topics = [first]
    var used = Set(wish.range)
    // ("no needles for me, I can't stand them": the aversion after it is the same refusal.)
    for back in cueSets["aversion_back"]?.matches(in: tokens) ?? []
    where back.range.lowerBound > wish.range.lowerBound {
      used.formUnion(back.range)
    }
    for segment in Self.avoidanceSegments(tokens) {
      let words = segment.map { tokens[$0] }
      var named = false
      if let topic = namedTopic(words, needsConcept: true), isTopic(topic) {
        if !topics.contains(topic) { topics.append(topic) }
        named = true
      }
      // (Only the families refused whole, `avoid_families`: "no injections" is every
      // injection, while "not an operation" is not also every other procedure.)
      for family in treatmentFamilies
      where family.refusedWhole && words.contains(where: family.words.contains) {
        topics += family.members.filter {
          !topics.contains($0) && knowledge.intent(named: $0) != nil
        }
        named = true
      }
      if named { used.formUnion(segment) }
    }
    let rest = tokens.indices.filter {
      !used.contains($0) && !Self.isAvoidWord(at: $0, in: tokens)
    }.map { tokens[$0] }
    return (topics, rest)
  }

  /// Whether the last sentence opens on a word that asks for a thing without a question word
  /// ("anything that isn't an operation for gamer back", "something that's not a pill").
  func leadsWithRequest(_ tokens: [String]) -> Bool {
    let sentences = EmergencyDetector.sentences(of: tokens)
    guard let last = sentences.last,
      let lead = tokens[last.range].first(where: { !TextNormalizer.isBreak($0) })
    else { return false }
    return Self.requestLeads.contains(lead)
  }

  /// Words that open a request for a thing ("anything for...", "something that...").
  static let requestLeads: Set<String> = ["anything", "something", "stuff", "anythin"]
}
