/// Two questions in one message ("is heat ok and how long for?", "what causes it and how long
/// does it last?", "can I still work, and should I see my GP?"): each gets its answer.
///
/// One ranking of the whole message answers whichever question has the stronger words and
/// drops the other, so the message is cut into its questions and each is read on its own.
extension Assistant {
  /// One question of a compound message: what it names and what it asks.
  struct Part {
    var topic: Intent?
    var facet: String?
    var gap: String?
  }

  /// The questions of a message: clauses cut at breaks, and at "and"/"also"/"but" before a
  /// question word; only clauses that open with a question word count.
  func questionClauses(_ tokens: [String]) -> [[String]] {
    var clauses: [[String]] = []
    var part: [String] = []
    func flush() {
      if part.count >= 2, let first = part.first, Self.questionWords.contains(first) {
        clauses.append(part)
      }
      part = []
    }
    for (i, token) in tokens.enumerated() {
      if TextNormalizer.isBreak(token) {
        flush()
        continue
      }
      if Self.joinWords.contains(token), i + 1 < tokens.count,
        Self.questionWords.contains(tokens[i + 1])
      {
        flush()
        continue
      }
      part.append(token)
    }
    flush()
    return clauses
  }

  /// Words that join two questions.
  static let joinWords: Set<String> = ["and", "also", "but", "plus", "or"]

  /// Answers every question of a message with two or more, or nil.
  func compound(_ message: PreparedMessage, _ match: IntentMatch, state: inout DialogueState)
    -> Reply?
  {
    let tokens = message.analysis.tokens
    // Cheap test first: two questions need a second question word.
    guard tokens.lazy.filter({ Self.questionWords.contains($0) }).count >= 2 else { return nil }
    let clauses = questionClauses(tokens)
    guard clauses.count >= 2 else { return nil }
    var parts: [Part] = []
    // "Tai chi, there's a class at the church hall on Thursdays. Is it really any good for backs
    // or is it just for relaxing?": a first question that points back is about the thing the
    // message told of before it, else the one being discussed (it had been read on its own,
    // "any good for backs" as when to see a doctor). (Added in the twenty-fifth session, from
    // v40's graded conversations, after v40 was scored.)
    let told = Self.clauses(tokens).filter { !asksSomething($0) }.flatMap { $0 }
    let antecedent =
      (told.isEmpty ? nil : namedTopic(told, needsConcept: true)).flatMap {
        knowledge.intent(named: $0)
      } ?? state.topic.flatMap { name in isTopic(name) ? knowledge.intent(named: name) : nil }
    for clause in clauses.prefix(3) {
      let gap = gapKind(clause)
      let facet = askedFacet(clause)
      // (After a joining word: "or is it...", "and do they...".)
      let subject = Array(clause.drop { Self.clauseOpeners.contains($0) })
      let pointing = subject.count > 1 && Self.thingPointers.contains(subject[1])
      // (Unless the clause names its own thing: "are those posture buzzer things worth it?")
      if parts.isEmpty, pointing, let antecedent,
        namedTopic(clause, keepingPopulations: true, needsConcept: true) == nil
      {
        parts.append(Part(topic: antecedent, facet: facet, gap: gap))
        continue
      }
      // "...and how long should I leave it on for?" asks more about the topic before it, when
      // that topic has an answer for it; "...and how long does it last?" after "what causes
      // it?" does not (the causes say nothing about timing), so there the clause's own reading
      // counts.
      // "...is that an operation?" asks about the topic before it, too ("will it go away?"
      // may be about the pain, so only a pointing "is that" counts).
      let refers = cueSets["anaphora"]?.matchesAny(clause) == true
      if let before = parts.last?.topic,
        facet.map({ knowledge.facets[before.name]?.facets[$0] != nil }) ?? refers
      {
        parts.append(Part(topic: before, facet: facet, gap: gap))
        continue
      }
      // "Does foam rolling actually work or is it a gimmick?": a clause that points back ("is
      // it", "do they") and names no thing is about the topic before it, whatever its other
      // words brush against; with nothing new asked it adds no question.
      // (Only a clause whose subject points back, "is it", "do they": in "why is this
      // happening and how do I stop it?" the "it" is the pain, and the second question is its
      // own.)
      // ("...or is it just for relaxing?": a judgement of the same thing, not another topic.)
      if pointing, let before = parts.last?.topic, clause.contains(where: Self.merelyWords.contains)
      {
        if facet != nil || gap != nil { parts.append(Part(topic: before, facet: facet, gap: gap)) }
        continue
      }
      let named = namedTopic(
        clause, keepingPopulations: true, removing: (gap.map { [$0] } ?? []) + ["referent"],
        needsConcept: pointing && parts.last?.topic != nil)
      if named == nil, pointing, let before = parts.last?.topic {
        if facet != nil || gap != nil {
          parts.append(Part(topic: before, facet: facet, gap: gap))
        }
        continue
      }
      parts.append(
        Part(topic: named.flatMap { knowledge.intent(named: $0) }, facet: facet, gap: gap))
    }
    // A question that names nothing ("and how long for?") is about the topic of the others,
    // or the one being discussed.
    let anchor =
      parts.compactMap(\.topic).first ?? state.topic.flatMap { knowledge.intent(named: $0) }
    guard let anchor else { return nil }
    for i in parts.indices where parts[i].topic == nil {
      guard parts[i].facet != nil || parts[i].gap != nil else { return nil }
      parts[i].topic = anchor
    }
    var seen = Set<String>()
    parts = parts.filter { part in
      seen.insert("\(part.topic?.name ?? "")#\(part.facet ?? "")#\(part.gap ?? "")").inserted
    }
    guard parts.count >= 2 else { return nil }
    var texts: [String] = []
    var sources: [SourceRef] = []
    let topics = Set(parts.compactMap { $0.topic?.name })
    for part in parts {
      guard let topic = part.topic else { continue }
      var text: String
      // (A gap kind limited to some topics, "does it hurt" of a procedure, is no gap of the
      // others: of a stretch it asks the topic's safety.)
      if let gap = part.gap, gapApplies(gap, to: topic) {
        text = fill(
          settings.message(gap),
          extra: [
            "topic": topicName(topic),
            "whom": settings.messages["whom_\(gap)"]
              ?? settings.messages["whom_topic_\(topic.name)"] ?? settings.message("whom"),
          ])
      } else {
        let (body, refs) = brief(
          topic, facet: part.facet ?? "overview", sentences: 3, asked: part.facet != nil)
        text = body
        sources += refs.filter { !sources.contains($0) }
        state.given.insert("\(topic.name)#\(part.facet ?? "compound")")
      }
      if topics.count > 1 && part.gap == nil { text = "\(topic.title): " + text }
      texts.append(text)
    }
    let first = parts.first?.topic ?? anchor
    let last = parts.last?.topic ?? anchor
    if last.name != first.name { state.previousTopic = first.name }
    state.topic = last.name
    state.lastFacet = nil
    var reply = Reply(
      text: texts.joined(separator: "\n\n"), intent: first.name, confidence: match.confidence,
      kind: .answer, suggestions: Array((first.suggestions + last.suggestions).prefix(3)),
      sources: sources, trace: match)
    reply.facet = "compound"
    return reply
  }

  /// Words that judge the thing pointed at rather than name another ("or is it just for
  /// relaxing?").
  static let merelyWords: Set<String> = ["just", "only", "merely", "simply", "purely"]

  /// Words that join a question to the one before it.
  static let clauseOpeners: Set<String> = ["or", "and", "but", "so", "plus"]
}
