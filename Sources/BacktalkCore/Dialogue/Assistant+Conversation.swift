/// The conversation layer: answers by facet, follow-ups resolved against the current topic, a
/// profile of the person, honest gaps, comparisons, and no verbatim repeats.
///
/// A keyword matcher answers each message as if it were the first. People do not talk like
/// that: "is that safe for me?" is about the last topic, "what about Aleve?" asks the last
/// question of a new topic, and "I'm pregnant" three turns ago still matters.
extension Assistant {
  /// The facet a message asks for, if it names one.
  func askedFacet(_ tokens: [String]) -> String? {
    facetCues.firstList(in: tokens).map { FacetName.allCases[$0].rawValue }
  }

  /// Records what the person says about themselves: who they are (pregnant, older, desk
  /// work), where it hurts and for how long, and what they already use.
  func updateProfile(_ message: PreparedMessage, state: inout DialogueState) {
    let tokens = message.analysis.tokens
    let slots = extractor.profileSlots(tokens)
    // "And if I'm pregnant?" asks, it does not tell.
    if case .word(let value)? = slots[.population], value != "none", !tokens.contains("if") {
      state.profile.population = value
    }
    if case .word(let value)? = slots[.location] { state.profile.location = value }
    if case .number(let days)? = slots[.durationDays] { state.profile.durationDays = days }
    if isStatement(tokens), cueSets["tried"]?.matchesAny(tokens) == true {
      let candidates = ranking(message).candidates
      let best = candidates.first?.score ?? 0
      // "I see a physio every week" reads as both seeing a physio and physiotherapy; what is
      // kept is the treatment.
      let near = candidates.prefix(3).filter {
        isTopic($0.intent) && $0.score >= 0.3 * best
      }
      let treatment = candidates.prefix(5).first { $0.intent.hasPrefix("treatment.") }
      if let chosen = near.first(where: { $0.intent.hasPrefix("treatment.") }) ?? treatment
        ?? near.first,
        !state.profile.tried.contains(chosen.intent)
      {
        state.profile.tried.append(chosen.intent)
      }
    }
  }

  /// "I already see a physio every week": a statement about the person, acknowledged, not
  /// answered with advice to do what they already do.
  func profileStatement(_ message: PreparedMessage, state: inout DialogueState) -> Reply? {
    let tokens = message.analysis.tokens
    guard isStatement(tokens), cueSets["tried"]?.matchesAny(tokens) == true,
      let topic = state.profile.tried.last, let intent = knowledge.intent(named: topic)
    else { return nil }
    state.topic = topic
    let remaining = remainingFacets(topic, state: state)
    var text = fill(settings.message("profile_noted"), extra: ["topic": intent.title.lowercased()])
    if !remaining.isEmpty {
      text += " " + fill(settings.message("facets_offer"), extra: ["facets": facetList(remaining)])
    }
    var reply = Reply(
      text: text, intent: topic, confidence: 1, kind: .answer, suggestions: intent.suggestions)
    reply.facet = "profile"
    return reply
  }

  /// Whether a message states something rather than asks (no question mark, and it does not
  /// open with a question word).
  func isStatement(_ tokens: [String]) -> Bool {
    guard !tokens.contains(TextNormalizer.questionBreak),
      let first = tokens.first(where: { !TextNormalizer.isBreak($0) })
    else { return false }
    return !Self.questionWords.contains(first)
  }

  /// Whether a message asks something: a question mark, or a question word among its first
  /// words ("so should I still go").
  func asksSomething(_ tokens: [String]) -> Bool {
    if tokens.contains(TextNormalizer.questionBreak) { return true }
    let first = tokens.filter { !TextNormalizer.isBreak($0) }.prefix(3)
    return first.contains { Self.questionWords.contains($0) }
  }

  static let questionWords: Set<String> = [
    "what", "how", "why", "when", "where", "which", "who", "is", "are", "can", "could", "should",
    "does", "do", "will", "would",
  ]

  /// "Anything that isn't an operation?": a topic named only inside a negation is one the
  /// person wants to avoid; the answer is the alternatives, not that topic.
  func avoidedTopic(_ message: PreparedMessage, _ match: IntentMatch, state: inout DialogueState)
    -> Reply?
  {
    let tokens = message.analysis.tokens
    guard let top = match.candidates.first?.intent, isTopic(top) else { return nil }
    var negated: [String] = []
    var rest: [String] = []
    var scope = 0
    for token in tokens {
      if TextNormalizer.isBreak(token) { scope = 0 }
      if Self.avoidWords.contains(token) {
        scope = 3
        continue
      }
      if scope > 0 {
        negated.append(token)
        scope -= 1
      } else {
        rest.append(token)
      }
    }
    guard !negated.isEmpty, namedTopic(negated) == top, namedTopic(rest) != top,
      let alternative = knowledge.intent(named: settings.message("avoid_alternative"))
    else { return nil }
    if !state.profile.avoid.contains(top) { state.profile.avoid.append(top) }
    let avoided = knowledge.intent(named: top)?.title.lowercased() ?? top
    var reply = answerTopic(alternative, facet: "overview", confidence: 1, state: &state)
    reply.text = fill(settings.message("avoid_noted"), extra: ["topic": avoided]) + " " + reply.text
    return reply
  }

  static let avoidWords: Set<String> = [
    "not", "no", "without", "avoid", "except", "besides", "instead", "non", "other", "apart",
    "rather", "isnt", "dont",
  ]

  /// Whether an intent is a topic with an answer (not chat, not a flow).
  func isTopic(_ name: String) -> Bool {
    guard let intent = knowledge.intent(named: name) else { return false }
    return !conversational.contains(name) && intent.flow == nil
  }

  /// A follow-up that names no topic of its own, answered for the current topic.
  func followUp(_ message: PreparedMessage, _ match: IntentMatch, state: inout DialogueState)
    -> Reply?
  {
    guard let topicName = state.topic, let topic = knowledge.intent(named: topicName) else {
      return nil
    }
    let tokens = message.analysis.tokens
    let words = tokens.filter { !TextNormalizer.isBreak($0) }
    guard words.count <= 14 else { return nil }
    let facet = askedFacet(tokens)
    let refers = cueSets["anaphora"]?.matchesAny(tokens) == true
    let wantsMore = cueSets["what_else"]?.matchesAny(tokens) == true
    guard facet != nil || wantsMore || refers && words.count <= 6 else { return nil }
    // A message that names another topic is that topic's question. What names it is what is
    // left once the follow-up's own words are taken out: "how long each time?" leaves nothing
    // (the current topic), "is acupuncture safe?" leaves acupuncture.
    // Without "that" or "and if", a population word names its own topic ("I'm pregnant,
    // what helps?"); with it, it asks the current topic's note ("and if I'm pregnant?").
    if let named = namedTopic(tokens, keepingPopulations: !refers), named != topicName {
      return nil
    }
    if wantsMore && facet == nil { return whatElse(topic, state: &state) }
    var reply = answerTopic(topic, facet: facet ?? "overview", confidence: 1, state: &state)
    reply.trace = match
    return reply
  }

  /// The topic a message names once its follow-up cues (facets, "what about", "is that")
  /// are taken out, or nil when what is left names none with confidence.
  func namedTopic(_ tokens: [String], keepingPopulations: Bool = false) -> String? {
    var keep = [Bool](repeating: true, count: tokens.count)
    let facets: [FacetName] =
      keepingPopulations ? [.how, .timing, .safety, .evidence] : FacetName.allCases
    let names = facets.map(\.rawValue) + ["anaphora", "what_else", "more_of_same"]
    for name in names {
      for (_, range) in cueSets[name]?.matches(in: tokens) ?? [] {
        for i in range where i < keep.count { keep[i] = false }
      }
    }
    let rest = tokens.indices.filter { keep[$0] }.map { tokens[$0] }
    guard rest.contains(where: { !TextNormalizer.isBreak($0) }) else { return nil }
    let match = matcher.match(
      analyzer.features(of: rest), embedding: sentenceVector(rest.joined(separator: " ")))
    guard let top = match.candidates.first?.intent, isTopic(top),
      match.confidence >= settings.fallbackBelow
    else { return nil }
    return top
  }

  /// "What else?": the facets of the topic not given yet, and topics not yet shown.
  func whatElse(_ topic: Intent, state: inout DialogueState) -> Reply {
    let facets = remainingFacets(topic.name, state: state)
    var text = settings.message("what_else")
    if !facets.isEmpty {
      text +=
        " " + fill(settings.message("facets_offer"), extra: ["facets": facetList(facets)])
    }
    let shown = Set(state.given.map { $0.split(separator: "#").first.map(String.init) ?? $0 })
    let others = topic.suggestions.filter { suggestion in
      let target = classify(suggestion).candidates.first?.intent ?? ""
      return !shown.contains(target)
    }
    return Reply(
      text: text, intent: topic.name, confidence: 1, kind: .answer,
      suggestions: others.isEmpty ? settings.defaultSuggestions : others)
  }

  /// Two topics named as alternatives ("massage or acupuncture?"): both, briefly.
  func comparison(_ message: PreparedMessage, _ match: IntentMatch, state: inout DialogueState)
    -> Reply?
  {
    let tokens = message.analysis.tokens
    guard cueSets["comparison"]?.matchesAny(tokens) == true else { return nil }
    // Each side of "or", "vs", "and" is matched on its own: one ranking of the whole message
    // favours whichever topic has the stronger words.
    var topics: [String] = []
    var part: [String] = []
    for token in tokens + ["or"] {
      if Self.alternativeWords.contains(token) || TextNormalizer.isBreak(token) {
        if let named = namedTopic(part), !topics.contains(named) { topics.append(named) }
        part = []
      } else {
        part.append(token)
      }
    }
    guard topics.count >= 2, let a = knowledge.intent(named: topics[0]),
      let b = knowledge.intent(named: topics[1])
    else { return nil }
    let facet = askedFacet(message.analysis.tokens) ?? "evidence"
    var parts: [String] = []
    var sources: [SourceRef] = []
    for intent in [a, b] {
      let (text, refs) = brief(intent, facet: facet)
      parts.append("\(intent.title): \(text)")
      sources += refs.filter { !sources.contains($0) }
      state.given.insert("\(intent.name)#compare")
    }
    parts.append(settings.message("comparison_close"))
    state.previousTopic = a.name
    state.topic = b.name
    state.lastFacet = facet
    var reply = Reply(
      text: parts.joined(separator: "\n\n"), intent: a.name, confidence: match.confidence,
      kind: .answer, suggestions: Array((a.suggestions + b.suggestions).prefix(3)),
      sources: sources, trace: match)
    reply.facet = "comparison"
    return reply
  }

  /// Words that separate the alternatives of a comparison.
  static let alternativeWords: Set<String> = ["or", "vs", "versus", "and", "compared", "than"]

  /// A short account of a topic: the facet if it has one, else the overview's first two
  /// sentences.
  func brief(_ intent: Intent, facet: String) -> (String, [SourceRef]) {
    if let part = knowledge.facets[intent.name]?.facets[facet] {
      return (fill(part.answer), part.sources)
    }
    return (Self.sentences(fill(intent.answer), count: 2), intent.sources)
  }

  /// A topic's answer for one facet (or its overview), shaped by the profile, never repeated
  /// word for word.
  func answerTopic(
    _ intent: Intent, facet requested: String, confidence: Double, state: inout DialogueState
  ) -> Reply {
    let topic = knowledge.facets[intent.name]
    var facet = requested
    var reply: Reply
    if facet != "overview", let part = topic?.facets[facet] {
      reply = Reply(
        text: fill(part.answer), intent: intent.name, confidence: confidence, kind: .answer,
        suggestions: intent.suggestions, sources: part.sources)
    } else if facet != "overview" {
      let whom =
        topic?.gaps[facet] ?? settings.messages["whom_\(facet)"] ?? settings.message("whom")
      reply = Reply(
        text: fill(
          settings.message("facet_gap"),
          extra: [
            "what": settings.messages["facet_\(facet)"] ?? facet, "topic": intent.title,
            "whom": whom,
          ]),
        intent: intent.name, confidence: confidence, kind: .answer,
        suggestions: intent.suggestions)
      facet = "gap"
    } else {
      reply = answer(intent, confidence: confidence, state: &state)
      let remaining = remainingFacets(intent.name, state: state)
      if !remaining.isEmpty {
        reply.text +=
          "\n\n"
          + fill(settings.message("facets_offer"), extra: ["facets": facetList(remaining)])
      }
    }
    let key = "\(intent.name)#\(requested)"
    if state.given.contains(key) {
      let remaining = remainingFacets(intent.name, state: state)
      var text = fill(settings.message("repeat"), extra: ["topic": intent.title])
      text += " " + Self.sentences(reply.text, count: 1)
      if !remaining.isEmpty {
        text +=
          " " + fill(settings.message("facets_offer"), extra: ["facets": facetList(remaining)])
      }
      reply.text = text
    }
    shape(&reply, intent: intent, facet: facet, state: state)
    state.given.insert(key)
    if state.topic != intent.name { state.previousTopic = state.topic }
    state.topic = intent.name
    state.lastFacet = requested == "overview" ? nil : requested
    reply.facet = facet
    return reply
  }

  /// Fits an answer to what the person said about themselves.
  private func shape(_ reply: inout Reply, intent: Intent, facet: String, state: DialogueState) {
    let profile = state.profile
    if profile.tried.contains(intent.name) {
      reply.text =
        fill(settings.message("profile_tried"), extra: ["topic": intent.title.lowercased()])
        + " " + reply.text
    }
    let facetOf = ["pregnant": "pregnancy", "senior": "seniors", "desk_worker": "desk_workers"]
    guard let population = profile.population, let key = facetOf[population], facet != key
    else { return }
    if let part = knowledge.facets[intent.name]?.facets[key] {
      reply.text +=
        "\n\n" + fill(settings.message("profile_\(population)")) + " " + fill(part.answer)
      reply.sources += part.sources.filter { !reply.sources.contains($0) }
    } else if let caution = settings.messages["caution_\(population)_\(intent.name)"] {
      reply.text += "\n\n" + fill(caution)
    }
  }

  /// The facets of a topic not given yet in this conversation.
  func remainingFacets(_ intent: String, state: DialogueState) -> [String] {
    guard let topic = knowledge.facets[intent] else { return [] }
    return FacetName.allCases.map(\.rawValue).filter {
      topic.facets[$0] != nil && !state.given.contains("\(intent)#\($0)")
    }
  }

  /// "timing, safety and evidence", in the engine's words for each facet.
  func facetList(_ facets: [String]) -> String {
    let words = facets.map { settings.messages["facet_\($0)"] ?? $0 }
    guard words.count > 1, let last = words.last else { return words.first ?? "" }
    return words.dropLast().joined(separator: ", ") + " or " + last
  }

  /// The first `count` sentences of a text.
  static func sentences(_ text: String, count: Int) -> String {
    var out = ""
    var found = 0
    var previous: Character = " "
    for character in text {
      out.append(character)
      if ".!?".contains(previous) && character == " " {
        found += 1
        if found == count { return String(out.dropLast()) }
      }
      previous = character
    }
    return out
  }
}
