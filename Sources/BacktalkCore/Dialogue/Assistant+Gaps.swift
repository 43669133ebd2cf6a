/// Honest gaps: a question about the topic at hand that the articles do not answer gets "the
/// articles I draw on don't cover that" and whom to ask, not the off-topic line and not the
/// nearest paragraph.
///
/// Two readings: a kind of question no article answers for any topic (doses, alcohol, other
/// medicines, costs, time off work, clicking joints: `gap_*` cues and messages in
/// `settings.yaml`), and a question that points back at the current topic ("can I do them
/// if...?") which the matcher cannot place.
extension Assistant {
  /// The kinds of question the articles never answer, in the order they are tried.
  static let gapKinds = [
    "gap_dose", "gap_alcohol", "gap_interaction", "gap_other_medicine", "gap_combine", "gap_cost",
    "gap_work",
    "gap_noises", "gap_procedure_pain", "gap_brand",
  ]

  /// Gap kinds about money and access: the topic's honest gap (the reply keeps the topic's
  /// name), unless the price is of another purpose (``pricedElsewhere(_:)``).
  static let outsideGaps: Set<String> = ["gap_cost"]

  /// Gap kinds whose message names no topic.
  static let topicFreeGaps: Set<String> = ["gap_work"]

  /// The gap kind a message asks about, if any.
  ///
  /// `raw` are the words as typed, before typo correction: the cues name words no intent
  /// example has ("click" would otherwise be read as "crick"), and adding them to the
  /// vocabulary would change what every model learns.
  func gapKind(_ tokens: [String], raw: [String] = []) -> String? {
    // The first kind whose cues match the words as normalised or as typed (one pass each).
    let normalised = gapCues.firstList(in: tokens)
    let typed = raw != tokens && !raw.isEmpty ? gapCues.firstList(in: raw) : nil
    guard let first = [normalised, typed].compactMap({ $0 }).min() else { return nil }
    let kind = Self.gapKinds[first]
    // "Why does it hurt in the first place?" asks for a cause, not whether a procedure hurts.
    if kind == Self.procedurePainGap, tokens.contains("why") { return nil }
    // "Standing desk vs a decent chair, which one if work will only pay for one": a choice
    // between two things, bounded by a budget, asks which, not what they cost. (Added in the
    // twenty-eighth session, from v43's and v44's graded conversations.)
    if kind == "gap_cost", cueSets["only_one"]?.matchesAny(tokens) == true { return nil }
    // "My company will pay for a standing desk if I ask": who pays, told, asks no price.
    if kind == "gap_cost", cueSets["paid_by_other"]?.matchesAny(tokens) == true,
      !tokens.contains(where: { Self.askedPriceWords.contains($0) || $0.hasPrefix("cost") })
    {
      return nil
    }
    // "I can't afford a doctor right now, what can I do myself": what one cannot pay for,
    // told, asks for what is left to do, not what it costs. (Thirty-sixth session.)
    if kind == "gap_cost", tokens.contains("afford"),
      !tokens.contains(where: { Self.priceAskedWords.contains($0) || $0.hasPrefix("cost") })
    {
      return nil
    }
    // "The cracking kind of adjustment": with a word of manipulation, the crack is the
    // treatment itself, which the articles describe, not a noise of the back. (Added in the
    // twenty-fourth session, from v38's graded conversations.)
    if kind == Self.noisesGap, tokens.contains(where: Self.manipulationWords.contains) {
      return nil
    }
    // "How long can i keep popping the ibuprofen for": pills popped are pills taken, not a
    // noise of the back. (Thirty-sixth session, from v58's graded conversations.)
    if kind == Self.noisesGap, tokens.contains(where: { $0.hasPrefix("pop") }),
      cueSets["medicine_named"]?.matchesAny(tokens) == true
        || tokens.contains(where: Self.pillWords.contains)
    {
      return nil
    }
    return kind
  }

  /// How the gap of a medicine the articles do not name refers to it.
  static let unnamedMedicine = "that medicine"

  /// The gap of which brand, product or app to buy.
  static let brandGap = "gap_brand"

  /// The gap of whether a procedure hurts.
  static let procedurePainGap = "gap_procedure_pain"

  /// Whether a gap kind is a gap of this topic.
  ///
  /// A kind with a `topics_<kind>` list is the gap of the topics listed only: whether a
  /// procedure hurts (not a stretch), which brand to buy (not a doctor's visit). For any other
  /// topic the question is read as before (the safety facet, the overview). Read by the gaps of
  /// one question and of a message with several (``compound(_:_:state:)``).
  func gapApplies(_ kind: String, to topic: Intent) -> Bool {
    guard let listed = settings.messages["topics_" + kind] else { return true }
    return listed.split(whereSeparator: \.isWhitespace).contains { $0 == topic.name }
  }

  /// Words of pills, which are popped when taken (the medicine class names only plurals:
  /// "popping a pill every morning").
  static let pillWords: Set<String> = [
    "pill", "pills", "tablet", "tablets", "meds", "painkiller", "painkillers", "capsule",
    "capsules",
  ]

  /// The gap of the back's noises (clicking, cracking).
  static let noisesGap = "gap_noises"

  /// Words of spinal manipulation, with which a "crack" is the treatment.
  static let manipulationWords: Set<String> = [
    "adjustment", "adjustments", "adjust", "adjusted", "manipulation", "manipulations",
    "manipulate", "manipulated", "chiro", "chiros", "chiropractor", "chiropractors",
    "chiropractic",
  ]

  /// A question of a kind the articles never answer, about a topic named in it or the one
  /// being discussed.
  func cueGap(_ message: PreparedMessage, _ match: IntentMatch, state: inout DialogueState)
    -> Reply?
  {
    let tokens = message.analysis.tokens
    guard asksSomething(tokens), let kind = gapKind(tokens, raw: message.analysis.rawTokens)
    else { return nil }
    // "How much does it cost to train as a massage therapist?": a price in another field (a
    // career, a share price) that only borrows a topic's word is that field's question, as the
    // off-domain rules read it.
    if Self.outsideGaps.contains(kind),
      pricedElsewhere(tokens) || state.topic == nil && isOffDomain(message, match)
    {
      return nil
    }
    // "Is it ok to take paracetamol for a hangover?", "ibuprofen or paracetamol for period
    // cramps?": a medicine asked of another field's complaint, with no word of the back, is
    // that field's question, not a gap of the articles. (Thirty-fourth session, from the
    // out-of-scope misses of v54, after scoring.)
    // (Only a complaint the medicine is for: "with my cold and flu tablets" names another
    // medicine, which the combination's gap answers.)
    if kind == "gap_other_medicine" || Self.medicineGaps.contains(kind), state.topic == nil,
      namesOtherField(tokens, purpose: true)
    {
      return nil
    }
    // A kind that belongs to one topic (a medicine no article names) is that topic's gap;
    // but "Advil or Tylenol?" also names one the articles discuss, and that is answered.
    if let owner = settings.messages["gap_topic_\(kind)"].flatMap({ knowledge.intent(named: $0) }) {
      let named = namedTerms(tokens)
      if named.isEmpty { return gapReply(kind, topic: owner, state: &state) }
      // "Would paracetamol be better than the ibuprofen?": the one the articles leave out is a
      // gap, said first; the one they discuss is answered after it. (Added in the
      // twenty-fourth session, from v38's graded conversations: the paracetamol had gone
      // unmentioned.)
      guard comparesThings(tokens) else { return nil }
      var reply = gapReply(kind, topic: owner, state: &state)
      // (Named, since two medicines are in the message: "don't discuss Tylenol".)
      if let unknown = cueSets[kind]?.matches(in: tokens).first {
        let name = unknown.range.map { tokens[$0] }.joined(separator: " ")
        reply.text = reply.text.replacing(Self.unnamedMedicine, with: name, maxReplacements: 1)
      }
      let known = answerTerms(
        named, match: IntentMatch(candidates: [], confidence: 1, features: []), lastFacet: nil,
        state: &state)
      // (A caution for the person said with the gap is not said twice.)
      let fresh = known.text.split(separator: "\n\n").filter { !reply.text.contains($0) }
      reply.text += "\n\n" + fresh.joined(separator: "\n\n")
      reply.sources = known.sources
      return reply
    }
    // (A thing of a topic named in the question places it when the words around it do not:
    // "how much ibuprofen can I take in one day" is the medicines' gap, though "one" points
    // nowhere. Added in the thirty-third session, from v53's graded conversations, after
    // scoring: the paragraph on anti-inflammatories had been given instead.)
    guard
      let topic = gapTopic(
        tokens, kind: kind, features: message.analysis.features, state: state)
        ?? (Self.medicineGaps.contains(kind) && !isOffDomain(message, match)
          ? termTopic(tokens) : nil)
    else {
      return Self.topicFreeGaps.contains(kind) ? gapReply(kind, topic: nil, state: &state) : nil
    }
    guard gapApplies(kind, to: topic) else { return nil }
    // "Does it hurt?" of a procedure (an injection, an operation, needles): no article says,
    // so the honest gap, then what the articles do say of its safety. Of anything else (a
    // stretch, a heat pack) the question is the topic's safety facet, read as before.
    if kind == Self.procedurePainGap {
      var reply = gapReply(kind, topic: topic, state: &state)
      if knowledge.facets[topic.name]?.facets[FacetName.safety.rawValue] != nil {
        let safety = answerTopic(
          topic, facet: FacetName.safety.rawValue, confidence: 1, state: &state)
        reply.text += "\n\n" + safety.text
        reply.sources = safety.sources
      }
      return reply
    }
    // "Which app tho?": no article names a brand or an app to choose; said first, then the
    // topic's own answer (what such things do) once, or a reminder if it was given.
    if kind == Self.brandGap {
      // (Opening a conversation, the matcher must place the message on that topic too: "where
      // can I buy dining chairs?" and "ice machine for a bar, which brand?" borrow its words.)
      guard state.topic != nil || match.best == topic.name else { return nil }
      let gap = gapReply(kind, topic: topic, state: &state)
      var reply = answerTopic(topic, facet: "overview", confidence: 1, state: &state)
      reply.text = gap.text + "\n\n" + reply.text
      reply.facet = "gap"
      return reply
    }
    // "Is platelet-rich plasma worth paying for privately?": whether it is worth it is the
    // topic's evidence, which the articles give; what it costs is the gap, said first. (Added
    // in the twenty-fifth session, from v39's intent misses, seen: the cost alone had answered.)
    if Self.outsideGaps.contains(kind), tokens.contains(where: Self.worthWords.contains),
      knowledge.facets[topic.name]?.facets[FacetName.evidence.rawValue] != nil
    {
      let gap = gapReply(kind, topic: topic, state: &state)
      var reply = answerTopic(
        topic, facet: FacetName.evidence.rawValue, confidence: 1, state: &state)
      reply.text = gap.text + "\n\n" + reply.text
      return reply
    }
    // A gap the articles do fill for one topic (what a virtual visit costs, in the article of a
    // service that offers them): that topic's own answer, with its source.
    // (Only a price asked: "do I need a referral?" is still the gap.)
    if let facet = Self.gapFacets[kind], knowledge.facets[topic.name]?.facets[facet] != nil,
      tokens.contains(where: { Self.priceWords.contains($0) || $0.hasPrefix("cost") })
    {
      return answerTopic(topic, facet: facet, confidence: 1, state: &state)
    }
    return gapReply(kind, topic: topic, state: &state)
  }

  /// Whether a price asked is of something other than the person's care: a word of another
  /// purpose (`purpose_elsewhere`: earnings, training for a career, a company's shares) beside
  /// the words that ask the price.
  /// (Only the purposes of a career, a business or a market: "does my health fund cover
  /// chiropractic?" is also in that list, as a cover asked, and is the person's own care.)
  func pricedElsewhere(_ tokens: [String]) -> Bool {
    (cueSets["purpose_elsewhere"]?.matches(in: tokens) ?? []).contains { _, range in
      tokens[range].contains { word in
        Self.elsewhereWords.contains(word) || word.hasPrefix("earn") || word.hasPrefix("train")
      }
    }
  }

  /// Words of a purpose other than one's own care: a career, a business, a market.
  static let elsewhereWords: Set<String> = [
    "salary", "salaries", "wage", "wages", "career", "careers", "qualify", "become", "hiring",
    "jobs", "share", "shares", "stock", "stocks", "company", "companies", "business", "client",
    "clients", "customer", "customers", "invest", "investing", "investment",
  ]

  /// Gap kinds that a topic may answer after all, by the facet that holds its answer (a facet
  /// outside ``FacetName``: never offered among the topic's other facets).
  public static let gapFacets: [String: String] = ["gap_cost": "cost"]

  /// Words that ask a price outright, beside a thing one cannot afford: the words that ask
  /// what something costs, but not those of affording it.
  static let priceAskedWords = askedPriceWords.subtracting([
    "afford", "cheap", "cheaper", "cheapest",
  ]).union(["pay"])

  /// Words that ask what something costs, not who pays.
  static let askedPriceWords: Set<String> = [
    "price", "prices", "much", "expensive", "cheap", "cheaper", "cheapest", "afford", "fee",
    "fees", "charge", "charges",
  ]

  /// Words that ask a price (with any word starting "cost").
  static let priceWords: Set<String> = [
    "price", "prices", "priced", "pricey", "expensive", "cheap", "cheaper", "cheapest", "afford",
    "pay", "paying", "copay", "insurance", "insurer", "money", "fee", "fees", "charge", "charges",
    "much",
  ]

  /// Words that ask whether a thing is worth it, beside its price.
  static let worthWords: Set<String> = ["worth", "worthwhile", "value"]

  /// Gap kinds about taking medicines, whose topic a medicine named in the question gives.
  static let medicineGaps: Set<String> = [
    "gap_dose", "gap_combine", "gap_interaction", "gap_alcohol",
  ]

  /// The topics that are medicines, whose questions of dose and combination stay theirs.
  static let medicineTopics: Set<String> = ["treatment.medications", "treatment.topical"]

  /// The topic of the first thing named in `tokens` that belongs to one.
  func termTopic(_ tokens: [String]) -> Intent? {
    for term in namedTerms(tokens) {
      if let intent = knowledge.intent(named: term.intent) { return intent }
    }
    return nil
  }

  /// The topic a gap question is about: the one it names, else the current one when the
  /// message points back at it or is short.
  func gapTopic(
    _ tokens: [String], kind: String?, features: [String], state: DialogueState
  ) -> Intent? {
    let words = tokens.filter { !TextNormalizer.isBreak($0) }
    let extra = (kind.map { [$0] } ?? []) + ["referent"]
    let refers = cueSets["referent"]?.matchesAny(tokens) == true
    // "Can I have a glass of wine with it?" points back; "glass" alone must not name cupping.
    let floor = refers && state.topic != nil ? Self.confidentNaming : nil
    if let named = namedTopic(tokens, keepingPopulations: true, removing: extra, floor: floor),
      let intent = knowledge.intent(named: named)
    {
      // "Can I take both together for a stronger effect?" after ibuprofen and Aleve:
      // "together" names the combined plan, whose gap this kind is not; the kind belongs to the
      // topic at hand, which the message points back at. (Thirty-third session.)
      if let kind, !gapApplies(kind, to: intent), refers || tokens.contains("both"),
        let current = state.topic.flatMap({ knowledge.intent(named: $0) }),
        gapApplies(kind, to: current)
      {
        return current
      }
      // "Can I double them up tonight?" after muscle relaxants: the dose asked is the
      // medicine's, though "tonight" names fast relief. (Thirty-fourth session.)
      if let kind, Self.medicineGaps.contains(kind), refers,
        !Self.medicineTopics.contains(intent.name),
        let current = state.topic, Self.medicineTopics.contains(current),
        let topic = knowledge.intent(named: current)
      {
        return topic
      }
      return intent
    }
    // The gap cues are narrow ("dose", "cost"): with no other topic named, the question is
    // about the current one.
    // Unless it names a thing the current topic never speaks of ("my mate has some codeine,
    // should I take a few?" after creams): that question is not the creams' gap.
    guard let current = state.topic, refers || words.count <= 14,
      !namesForeignThing(features, topic: current)
    else { return nil }
    return knowledge.intent(named: current)
  }

  /// The reply for a gap of `kind` ("gap_any" for an unplaceable question) about `topic`.
  func gapReply(_ kind: String, topic: Intent?, state: inout DialogueState) -> Reply {
    let title = topic.map { topicName($0) } ?? ""
    let whom =
      topic.flatMap { settings.messages["whom_topic_\($0.name)"] } ?? settings.message("whom")
    let key = "\(topic?.name ?? "")#\(kind)"
    // The same gap asked again in other words: said differently, not word for word.
    let again = state.given.contains(key) && settings.messages["gap_again"] != nil
    let text = fill(
      settings.message(again ? "gap_again" : kind),
      extra: ["topic": title, "whom": settings.messages["whom_\(kind)"] ?? whom])
    state.given.insert(key)
    // A caution for the person (medicines in pregnancy) is safety: it comes with the gap too.
    let caution = topic.flatMap { topic in
      state.profile.population.flatMap { settings.messages["caution_\($0)_\(topic.name)"] }
    }
    // What a treatment costs is a question about that treatment the articles leave open (the
    // issue's honest gap, not the off-topic line): it keeps the topic's name, as people who
    // label such questions do. (It had been `out_of_scope` until the twenty-seventh session;
    // v42's writers labelled every such row with its treatment.)
    let intent = topic?.name ?? "out_of_scope"
    var reply = Reply(
      text: text + (caution.map { "\n\n" + fill($0) } ?? ""), intent: intent,
      confidence: 1, kind: .answer, suggestions: topic?.suggestions ?? settings.defaultSuggestions)
    reply.facet = "gap"
    if let topic {
      if state.topic != topic.name { state.previousTopic = state.topic }
      state.topic = topic.name
      state.lastFacet = nil
    }
    return reply
  }

  /// A bare gap followed by what the articles do say nearest to the question.
  ///
  /// "How many reps tho, she said 3x10 but my buddy says go heavier" after the strengthening
  /// answer: the articles give no reps, but they do say to start gently and not to overdo it.
  /// "The articles don't go into that" alone had read to graders as a door shut on a question
  /// the articles half answer. The facet of the topic not yet given whose meaning lies nearest
  /// the question (at least `gap_closest_above` of cosine) follows, in its first sentences,
  /// with its sources. (Thirty-sixth session, from v57's and v58's graded conversations.)
  func withClosest(
    _ reply: inout Reply, topic: Intent, query: [Float], state: inout DialogueState
  ) {
    guard !query.isEmpty, let floor = settings.messages["gap_closest_above"].flatMap(Float.init),
      let lead = settings.messages["gap_closest"], let facets = knowledge.facets[topic.name]
    else { return }
    let candidates = remainingFacets(topic.name, state: state).filter {
      !Self.populationFacets.contains($0)
    }
    guard let best = closestFacet(topic.name, among: candidates, query: query),
      best.score >= floor, let facet = facets.facets[best.name]
    else { return }
    state.given.insert("\(topic.name)#\(best.name)")
    let label = settings.messages["facet_\(best.name)"] ?? best.name
    reply.text +=
      "\n\n" + fill(lead, extra: ["facet": label]) + " "
      + Self.sentences(fill(facet.answer), count: Self.closestSentences)
    reply.sources = facet.sources
  }

  /// The longest question whose bare gap is followed by the nearest facet.
  static let closestQuestionWords = 10

  /// How many sentences of the nearest facet follow a bare gap.
  static let closestSentences = 2

  /// A question about the current topic that the matcher cannot place: a gap.
  ///
  /// "Is it normal for them to...?" points back at the topic, and no reading fits it, so the
  /// articles do not cover it. A confident off-topic reading ("what about my knee?") stays
  /// off-topic.
  func inTopicGap(_ message: PreparedMessage, _ match: IntentMatch, state: inout DialogueState)
    -> Reply?
  {
    guard let current = state.topic, let topic = knowledge.intent(named: current) else {
      return nil
    }
    let tokens = message.analysis.tokens
    let words = tokens.filter { !TextNormalizer.isBreak($0) }
    // A very short question naming nothing ("how many reps?") is about the topic at hand
    // just as surely as one that points back at it.
    guard words.count <= 14, asksSomething(tokens),
      cueSets["referent"]?.matchesAny(tokens) == true || words.count <= Self.shortFollowUpWords
    else { return nil }
    let top = match.candidates.first?.intent ?? "out_of_scope"
    let unplaced =
      match.confidence < settings.fallbackBelow
      || top == "out_of_scope" && match.confidence < Self.confidentOffTopic
    guard unplaced else { return nil }
    if let reply = otherTopicNamed(tokens, besides: current, match, state: &state) {
      return reply
    }
    var reply = gapReply("gap_any", topic: topic, state: &state)
    // (Only after a short question, "do i do these like 10 times each or what": a longer one
    // says more than the nearest facet can answer, "is there anything for the pain at night,
    // that's when it's worst" after the mind-body answer.)
    if words.count <= Self.closestQuestionWords {
      withClosest(&reply, topic: topic, query: message.embedding, state: &state)
    }
    reply.trace = match
    return reply
  }

  /// The answer of another topic the message names by a concept, or nil.
  ///
  /// "What about turmeric, everyone at mums group is drinking it" after the oils is the diet
  /// topic's question, not a gap claimed for the topic at hand. (Added in the twenty-eighth
  /// session, from v43's and v44's graded conversations; read by both of the in-conversation
  /// gaps, ``inTopicGap(_:_:state:)`` and ``gapInConversation(_:_:state:)``.)
  func otherTopicNamed(
    _ tokens: [String], besides current: String, _ match: IntentMatch,
    state: inout DialogueState
  ) -> Reply? {
    guard let other = namedTopic(tokens, needsConcept: true), other != current, isTopic(other),
      let intent = knowledge.intent(named: other)
    else { return nil }
    var reply = digressOrAnswer(intent: intent, confidence: match.confidence, state: &state)
    reply.trace = match
    return reply
  }

  /// "What about kinesiology tape?", "is that like reflexology?": a short question about a
  /// thing no part of the knowledge base knows (a word neither an example, a concept, a term
  /// nor a data file has used, and that typo correction left alone) gets "the articles I draw
  /// on don't mention kinesiology tape" and whom to ask: not the nearest paragraph, and not
  /// the off-topic line.
  func unknownThing(_ message: PreparedMessage, state: inout DialogueState) -> Reply? {
    let analysis = message.analysis
    let tokens = analysis.tokens
    let words = tokens.filter { !TextNormalizer.isBreak($0) }
    // (About the back: in a conversation about it, or with a word of the back, the body or
    // pain; "what is a zumba class?" on its own is another field's question. And naming no
    // thing the knowledge base knows: a treatment's concept or a term.)
    guard words.count <= Self.unknownThingWords, asksSomething(tokens),
      state.topic != nil || domainWords(analysis) == nil,
      !namesThing(analysis.features),
      namedTerms(tokens).isEmpty
    else { return nil }
    // The thing is named where the question puts it: right after "what about", "like a", "do
    // I need", or between "is" and "ok". A common English word there ("the actual signs",
    // "just comforting") is no name; a rare one ("reflexology") or one English spells in
    // pieces ("kinesiology") is.
    let unknown = Set(analyzer.unknownWords(analysis).filter { !isCommonWord($0) })
    guard !unknown.isEmpty else { return nil }
    // (Where the question names no thing by its cues, only the opening of a short question
    // can: in a conversation.)
    let cued = cueSets["thing_asked"]?.matchesAny(tokens) == true
    guard cued || state.topic != nil else { return nil }
    var slots = Set<Int>()
    // A short question may open on the thing itself ("creatine make it worse?"), or put it
    // after its verb ("does creatine help?"). (Added after v32 was scored, from its
    // conversations.)
    if let opening = tokens.firstIndex(where: { !TextNormalizer.isBreak($0) }) {
      slots.insert(opening)
      if Self.questionVerbs.contains(tokens[opening]) { slots.insert(opening + 1) }
    }
    for (_, range) in cueSets["thing_asked"]?.matches(in: tokens) ?? [] {
      if range.upperBound > 0, Self.verdictWords.contains(tokens[range.upperBound - 1]) {
        slots.formUnion(range)
        continue
      }
      var k = range.upperBound
      while k < tokens.count, Self.determiners.contains(tokens[k]) { k += 1 }
      slots.insert(k)
    }
    guard
      let first = slots.sorted().first(where: { $0 < tokens.count && unknown.contains(tokens[$0]) })
    else { return nil }
    // The thing: the unknown word with the words of its name after it ("kinesiology tape"),
    // as typed.
    let raw = analysis.rawTokens
    var range = first..<(first + 1)
    while range.upperBound < raw.count, !TextNormalizer.isBreak(raw[range.upperBound]),
      !Self.thingStops.contains(raw[range.upperBound]), range.count < 3
    {
      range = range.lowerBound..<(range.upperBound + 1)
    }
    let thing = raw[range].joined(separator: " ")
    let topic = state.topic.flatMap { knowledge.intent(named: $0) }
    let contact = topic.map { whom($0, facet: "gap") } ?? settings.message("whom")
    var reply = Reply(
      text: fill(settings.message("gap_unknown"), extra: ["thing": thing, "whom": contact]),
      intent: topic?.name ?? "out_of_scope", confidence: 1, kind: .answer,
      suggestions: topic?.suggestions ?? settings.defaultSuggestions)
    reply.facet = "gap"
    return reply
  }

  /// The line that says the articles give no number, when a question asks how many times and
  /// the timing answer it gets names none.
  ///
  /// "How many times a day should I do them?" answered with "the moves can be done every day"
  /// is an honest answer only if it says that no count is given: the person asked for one.
  /// Nil when the reply is no timing answer, the question asks no count, or the answer has one.
  func missingCountNote(_ message: PreparedMessage, reply: Reply) -> String? {
    guard reply.facet == "timing", reply.kind == .answer,
      let topic = reply.intent.flatMap({ knowledge.intent(named: $0) }),
      cueSets["asks_count"]?.matchesAny(message.analysis.tokens) == true,
      !Self.statesCount(reply.text),
      !Self.saysNoCount.contains(where: { reply.text.lowercased().contains($0) })
    else { return nil }
    return settings.messages["timing_no_count"].map {
      fill($0, extra: ["whom": whom(topic, facet: "timing")])
    }
  }

  /// Whether a text gives a count of times or sessions ("once or twice a week", "1-2 sessions",
  /// "three times a day").
  static func statesCount(_ text: String) -> Bool {
    let words = text.lowercased().split(whereSeparator: { !$0.isLetter && !$0.isNumber })
    for (index, word) in words.enumerated() {
      // "Every 30 minutes", "every two hours".
      if word == "every", index + 1 < words.count,
        words[index + 1].allSatisfy(\.isNumber) || countWords.contains(String(words[index + 1]))
      {
        return true
      }
      guard word.allSatisfy(\.isNumber) || countWords.contains(String(word)) else { continue }
      let after = words[(index + 1)..<min(words.count, index + 4)]
      if after.contains(where: { countUnits.contains(String($0)) }) { return true }
    }
    return false
  }

  /// Words by which an answer already says it has no count ("they do not say how often to book
  /// sessions", "that's as far as the articles go").
  static let saysNoCount = ["how often", "how many", "repetitions", "as far as the articles go"]

  /// Words that give a count.
  static let countWords: Set<String> = [
    "once", "twice", "one", "two", "three", "four", "five", "six", "seven", "several", "few",
  ]

  /// What a count counts, or how often it comes round.
  static let countUnits: Set<String> = [
    "times", "sessions", "session", "day", "week", "reps", "repetitions", "sets",
  ]

  /// The line that says a thing asked about by name is not in the knowledge base, if one is due.
  ///
  /// "Is running bad for my back?" answered from exercise safety, "what about a massage gun?"
  /// from foam rolling: a thing that nothing the assistant can say mentions gets a line saying
  /// so before the closest answer, so the answer is not taken for one about that thing. Nil
  /// when the reply is no topic's answer, or the thing is mentioned.
  func uncoveredThingNote(_ message: PreparedMessage, reply: Reply) -> String? {
    guard reply.kind == .answer, reply.facet != "gap", reply.escalation == nil,
      let intent = reply.intent, isTopic(intent)
    else { return nil }
    let analysis = message.analysis
    let tokens = analysis.tokens
    guard tokens.filter({ !TextNormalizer.isBreak($0) }).count <= Self.unknownThingWords,
      asksSomething(tokens), let range = askedThing(tokens)
    else { return nil }
    // The thing's head word decides: "massage gun" is missing when "gun" is. ("Anything for
    // tonight?" names a time, not a thing.)
    guard let head = tokens[range].last, head.count >= 3, !Self.timeWords.contains(head) else {
      return nil
    }
    // (A medicine with its own line, "Pregabalin is an anticonvulsant...", is named by it.)
    if reply.intent == settings.messages["brand_topic"],
      settings.messages[Self.brandPrefix + head] != nil
    {
      return nil
    }
    // Mentioned anywhere in what the assistant can say, or a term the knowledge base knows by
    // that name ("Aleve" is naproxen), the thing is not missing. A term that only qualifies the
    // head is not the thing: "gel insoles" are insoles, whatever the articles say of gels.
    // (Added in the thirty-first session, from v50's graded conversations: the gel insoles had
    // been answered with the creams, with no word that insoles are not covered.)
    // (Only a head no part of the knowledge base knows: "trigger point shots" are injections,
    // and "peppermint oil rubbed in" is the oil.)
    let words = Array(tokens[range])
    let named = termNames.matches(in: words)
    guard !named.contains(where: { $0.range.upperBound == words.count }),
      named.isEmpty || analyzer.unknownWords(analysis).contains(head)
    else { return nil }
    guard !saysWord(startingWith: String(head.prefix(max(4, head.count - 3)))) else {
      return nil
    }
    let thing =
      analysis.rawTokens.count == tokens.count
      ? analysis.rawTokens[range].joined(separator: " ") : tokens[range].joined(separator: " ")
    return fill(settings.message("gap_thing"), extra: ["thing": thing])
  }

  /// Where a question names its thing: right after "what about", "is that like", "should I
  /// try", or between "is" and "ok" ("is running bad"); up to three words of content.
  func askedThing(_ tokens: [String]) -> Range<Int>? {
    var best: Range<Int>?
    let cues = cueSets["thing_asked"]
    for (pattern, range) in cues?.matches(in: tokens) ?? [] {
      // "What is...?" asks what a thing is, and "do I need...?" what to do: both name it only
      // sometimes ("what's left for me?").
      if let source = cues?.patterns[pattern].source,
        Self.definingCues.contains(where: { source.hasPrefix($0) })
      {
        continue
      }
      var start: Int
      var end: Int
      if range.upperBound > 0, Self.verdictWords.contains(tokens[range.upperBound - 1]) {
        // "is running bad": the words between the question word and the verdict.
        start = range.lowerBound + 1
        end = range.upperBound - 1
      } else {
        start = range.upperBound
        while start < tokens.count, Self.determiners.contains(tokens[start]) { start += 1 }
        // "What about rubbing some Deep Heat on?": the thing is what the doing is done with.
        if start + 1 < tokens.count, tokens[start].hasSuffix("ing"),
          Self.determiners.contains(tokens[start + 1])
        {
          start += 1
          while start < tokens.count, Self.determiners.contains(tokens[start]) { start += 1 }
        }
        end = start
        while end < tokens.count, !TextNormalizer.isBreak(tokens[end]),
          !Self.thingStops.contains(tokens[end]), end - start < 3
        {
          end += 1
        }
      }
      while start < end, Self.determiners.contains(tokens[start]) { start += 1 }
      while end > start, Self.thingStops.contains(tokens[end - 1]) { end -= 1 }
      guard start < end,
        tokens[start..<end].allSatisfy({
          !TextNormalizer.isBreak($0) && !Self.pointing.contains($0)
        })
      else { continue }
      if best == nil { best = start..<end }
    }
    return best
  }

  /// The thing-asked cues that ask what something is or what to do rather than about a thing.
  static let definingCues = ["what is", "what are", "whats", "do i need"]

  /// Words that point back rather than name a thing.
  static let pointing: Set<String> = [
    "it", "that", "this", "them", "they", "those", "these", "one", "ones", "i", "you", "me",
    "there", "what", "which", "else", "anything", "something",
  ]

  /// Whether English uses a word often: a whole token of the embedding's vocabulary among its
  /// most frequent (BERT's vocabulary is numbered roughly by frequency).
  func isCommonWord(_ word: String) -> Bool {
    embeddings.map { Self.isWholeWord(word, tokenizer: $0.tokenizer, below: Self.commonWordIDs) }
      ?? false
  }

  /// Whether English knows a word whole: one token of the embedding's vocabulary (which spells
  /// rare words and misspellings in pieces), with an id below `limit` when one is given.
  ///
  /// Static, on the tokenizer alone: a closure over it (the analyser's) retains one part, where
  /// a closure over an assistant method retained every part of the assistant on each message.
  static func isWholeWord(
    _ word: String, tokenizer: WordPieceTokenizer, below limit: UInt32 = .max
  ) -> Bool {
    let ids = tokenizer.tokenIDs(word)
    guard ids.count == 1, let id = ids.first else { return false }
    return id < limit
  }

  /// Token ids below this are words English uses often.
  static let commonWordIDs: UInt32 = 12_000

  /// Words that end a question's verdict on a thing ("is zumba ok?").
  static let verdictWords: Set<String> = [
    "ok", "okay", "safe", "good", "bad", "work", "help", "worth",
  ]

  /// Verbs that open a yes/no question before its subject ("does creatine help?"); not the
  /// wh-words of ``questionWords``, whose next word is rarely the thing ("what shd i ask").
  static let questionVerbs: Set<String> = [
    "does", "do", "is", "are", "will", "would", "can", "could", "should", "did",
  ]

  /// Words between a question and the thing it names ("what about the...").
  static let determiners: Set<String> = [
    "a", "an", "the", "that", "this", "those", "these", "some",
  ]

  /// A question about an unknown thing is short.
  static let unknownThingWords = 10

  /// Words that end a thing's name ("tape for my back": "for").
  static let thingStops: Set<String> = [
    "for", "on", "in", "with", "to", "and", "or", "is", "are", "do", "does", "help", "work",
    "any", "good", "ok", "okay", "safe", "thing", "stuff", "then", "though", "instead", "too",
    "at", "if", "my", "me", "it", "that", "this", "exactly", "specifically", "actually",
    "really", "again", "now", "anyway", "tho", "some", "make", "makes", "helps", "works", "hurt",
    "hurts", "cause", "causes", "worth", "bad", "better", "worse",
  ]

  /// A question this short that names no topic is a follow-up on the current one.
  static let shortFollowUpWords = 5

  /// How sure a reading must be to name a new topic in a message that also points back at
  /// the current one.
  static let confidentNaming = 0.6

  /// An off-topic reading at least this confident is taken as off-topic even about a topic.
  static let confidentOffTopic = 0.6
}
