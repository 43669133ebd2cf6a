/// The knowledge base as bytes for the start-up cache, next to ``Assistant/Compiled``.
///
/// Decoding the knowledge base through `Codable` costs 5 to 10 ms of every cold start, mostly
/// in the runtime's first-use type lookups rather than in parsing, so it is written field by
/// field. A field added to a knowledge type must be added here too: the round-trip test
/// (`SnapshotTests.theKnowledgeBaseRoundTrips`) compares every part of the shipped knowledge
/// base after a round trip. Only a knowledge base that passed every check is written, under a
/// key that covers its files and the program.
extension KnowledgeBase {
  static let snapshotMagic = "backtalk-knowledge-13"

  /// The decoded knowledge base as bytes, labelled with `key`.
  public func snapshot(key: String) -> [UInt8] {
    var w = SnapshotWriter()
    w.string(Self.snapshotMagic)
    w.string(key)
    w.array(intents) { w, intent in
      w.string(intent.name)
      w.string(intent.title)
      w.strings(intent.examples)
      w.string(intent.answer)
      Self.write(intent.sources, to: &w)
      w.strings(intent.suggestions)
      w.optionalString(intent.offer)
      w.optionalString(intent.flow)
      w.string(intent.file)
      w.strings(intent.moreExamples)
    }
    w.array(emergencies.categories) { w, category in
      w.string(category.name)
      w.string(category.title)
      w.string(category.action)
      w.string(category.message)
      Self.write(category.sources, to: &w)
      w.strings(category.patterns)
      w.strings(category.staleAfter)
      w.bool(category.acuteDays != nil)
      w.int(category.acuteDays ?? 0)
      w.strings(category.fresh)
    }
    let c = emergencies.context
    for list in [
      c.negations, c.scopeEnds, c.hypothetical, c.otherPeople, c.resolvedPast, c.recent,
      c.figurative, c.pseudoNegations, c.assertions, c.pastTense, c.presentNow, c.questionWords,
      c.questionCues, c.recentForOthers, c.resolution, c.ongoing,
    ] {
      w.strings(list)
    }
    w.stringMap(c.pronounFolds)
    w.stringMap(vocabulary.spellings)
    w.array(vocabulary.concepts) { w, concept in
      w.string(concept.name)
      w.strings(concept.terms)
    }
    w.array(regions.keys.sorted().compactMap { regions[$0] }) { w, region in
      w.string(region.code)
      w.string(region.emergencyNumber)
      w.string(region.crisisLine)
      w.string(region.crisisNumber)
      w.strings(region.aliases)
      w.string(region.crisisText ?? "")
      w.string(region.place ?? "")
      w.strings(region.names)
      w.string(region.numberText ?? "")
    }
    let l = slotLexicon
    for map in [l.location, l.trigger, l.triggerContext, l.population] { w.stringListMap(map) }
    for list in [l.causeCues, l.nerveSymptoms, l.noNerveSymptoms] { w.strings(list) }
    for map in [l.severityWords, l.numberWords, l.durationUnits, l.durationPhrases] {
      w.intMap(map)
    }
    w.int(l.seniorAge)
    settings.write(to: &w)
    w.array(flows.keys.sorted().compactMap { flows[$0] }) { w, flow in flow.write(to: &w) }
    w.array(emergencyCorpus) { w, row in
      w.string(row.text)
      w.optionalString(row.category)
      w.optionalString(row.origin)
    }
    w.array(facets.keys.sorted()) { w, intent in
      w.string(intent)
      w.string(facetFiles[intent] ?? "")
      let topic = facets[intent] ?? TopicFacets(intent: intent, facets: [:])
      w.array(topic.facets.keys.sorted()) { w, name in
        w.string(name)
        w.string(topic.facets[name]?.answer ?? "")
        Self.write(topic.facets[name]?.sources ?? [], to: &w)
      }
      w.stringMap(topic.gaps)
    }
    w.array(documents.keys.sorted().compactMap { documents[$0] }) { w, document in
      w.string(document.file)
      w.string(document.title)
      w.optionalString(document.publisher)
    }
    w.array(terms) { w, term in
      w.string(term.name)
      w.string(term.intent)
      w.strings(term.names)
      w.string(term.answer)
      Self.write(term.sources, to: &w)
    }
    return w.bytes
  }

  /// Reads a knowledge base written by ``snapshot(key:)`` under `key`.
  ///
  /// - Parameters:
  ///   - bytes: the snapshot.
  ///   - key: the key it must carry.
  ///   - files: the YAML files' names and texts (kept for the validator's line numbers; the
  ///     caller has them already, having hashed them into the key).
  /// - Throws: ``SnapshotError`` for damaged bytes or another key.
  public init(snapshot bytes: [UInt8], key: String, files: [(name: String, contents: String)])
    throws(SnapshotError)
  {
    try self.init(snapshot: SnapshotBuffer(copying: bytes), key: key, files: files)
  }

  /// Reads a snapshot in place (a memory-mapped file), without copying it first.
  public init(
    snapshot buffer: SnapshotBuffer, key: String, files: [(name: String, contents: String)]
  ) throws(SnapshotError) {
    var r = SnapshotReader(buffer)
    guard try r.string() == Self.snapshotMagic, try r.string() == key else { throw .stale }
    intents = try r.array { r throws(SnapshotError) in
      Intent(
        name: try r.string(), title: try r.string(), examples: try r.strings(),
        answer: try r.string(), sources: try Self.readSources(&r), suggestions: try r.strings(),
        offer: try r.optionalString(), flow: try r.optionalString(), file: try r.string(),
        moreExamples: try r.strings())
    }
    let categories = try r.array { r throws(SnapshotError) -> EmergencyCategory in
      let name = try r.string()
      let title = try r.string()
      let action = try r.string()
      let message = try r.string()
      let sources = try Self.readSources(&r)
      let patterns = try r.strings()
      let staleAfter = try r.strings()
      let hasAcuteDays = try r.bool()
      let acuteDays = try r.int()
      return EmergencyCategory(
        name: name, title: title, action: action, message: message, sources: sources,
        patterns: patterns, staleAfter: staleAfter, acuteDays: hasAcuteDays ? acuteDays : nil,
        fresh: try r.strings())
    }
    var lists: [[String]] = []
    for _ in 0..<16 { lists.append(try r.strings()) }
    var context = EmergencyContext(
      negations: lists[0], scopeEnds: lists[1], hypothetical: lists[2], otherPeople: lists[3],
      resolvedPast: lists[4], recent: lists[5], figurative: lists[6], pseudoNegations: lists[7],
      assertions: lists[8], pastTense: lists[9], presentNow: lists[10], questionWords: lists[11],
      questionCues: lists[12], pronounFolds: try r.stringMap(), recentForOthers: lists[13])
    context.resolution = lists[14]
    context.ongoing = lists[15]
    emergencies = EmergencyLexicon(categories: categories, context: context)
    let spellings = try r.stringMap()
    vocabulary = Vocabulary(
      spellings: spellings,
      concepts: try r.array { r throws(SnapshotError) in
        Concept(name: try r.string(), terms: try r.strings())
      })
    let regionList = try r.array { r throws(SnapshotError) in
      Region(
        code: try r.string(), emergencyNumber: try r.string(), crisisLine: try r.string(),
        crisisNumber: try r.string(), aliases: try r.strings(),
        crisisText: try r.string().nonEmpty, place: try r.string().nonEmpty,
        names: try r.strings(), numberText: try r.string().nonEmpty)
    }
    regions = Dictionary(regionList.map { ($0.code, $0) }, uniquingKeysWith: { _, last in last })
    let location = try r.stringListMap()
    let trigger = try r.stringListMap()
    let triggerContext = try r.stringListMap()
    let population = try r.stringListMap()
    let causeCues = try r.strings()
    let nerveSymptoms = try r.strings()
    let noNerveSymptoms = try r.strings()
    slotLexicon = SlotLexicon(
      location: location, trigger: trigger, triggerContext: triggerContext,
      causeCues: causeCues, population: population, nerveSymptoms: nerveSymptoms,
      noNerveSymptoms: noNerveSymptoms, severityWords: try r.intMap(),
      numberWords: try r.intMap(), durationUnits: try r.intMap(),
      durationPhrases: try r.intMap(), seniorAge: try r.int())
    settings = try Settings(snapshot: &r)
    let flowList = try r.array { r throws(SnapshotError) in try FlowDefinition(snapshot: &r) }
    flows = Dictionary(flowList.map { ($0.name, $0) }, uniquingKeysWith: { _, last in last })
    emergencyCorpus = try r.array { r throws(SnapshotError) in
      EmergencyExample(
        text: try r.string(), category: try r.optionalString(), origin: try r.optionalString())
    }
    var facets: [String: TopicFacets] = [:]
    var facetFiles: [String: String] = [:]
    let topics = try r.array { r throws(SnapshotError) -> (String, String, TopicFacets) in
      let intent = try r.string()
      let file = try r.string()
      let parts = try r.array { r throws(SnapshotError) -> (String, FacetAnswer) in
        let name = try r.string()
        let answer = try r.string()
        return (name, FacetAnswer(answer: answer, sources: try Self.readSources(&r)))
      }
      let gaps = try r.stringMap()
      return (
        intent, file,
        TopicFacets(
          intent: intent,
          facets: Dictionary(parts, uniquingKeysWith: { first, _ in first }), gaps: gaps)
      )
    }
    for (intent, file, topic) in topics {
      facets[intent] = topic
      facetFiles[intent] = file
    }
    self.facets = facets
    self.facetFiles = facetFiles
    let documentList = try r.array { r throws(SnapshotError) in
      SourceDocument(file: try r.string(), title: try r.string(), publisher: try r.optionalString())
    }
    documents = Dictionary(
      documentList.map { ($0.file, $0) }, uniquingKeysWith: { _, last in last })
    terms = try r.array { r throws(SnapshotError) in
      Term(
        name: try r.string(), intent: try r.string(), names: try r.strings(),
        answer: try r.string(), sources: try Self.readSources(&r))
    }
    guard r.isAtEnd else { throw .corrupt("data after the end of the knowledge base") }
    var index: [String: Int] = [:]
    for (i, intent) in intents.enumerated() { index[intent.name] = i }
    intentIndex = index
    self.files = Dictionary(
      files.map { ($0.name, $0.contents) }, uniquingKeysWith: { first, _ in first })
  }

  fileprivate static func write(_ sources: [SourceRef], to w: inout SnapshotWriter) {
    w.array(sources) { w, source in
      w.string(source.document)
      w.string(source.section)
      w.string(source.title)
      w.optionalString(source.publisher)
    }
  }

  fileprivate static func readSources(_ r: inout SnapshotReader) throws(SnapshotError)
    -> [SourceRef]
  {
    try r.array { r throws(SnapshotError) in
      SourceRef(
        document: try r.string(), section: try r.string(), title: try r.string(),
        publisher: try r.optionalString())
    }
  }
}

extension Settings {
  fileprivate func write(to w: inout SnapshotWriter) {
    w.double(fallbackBelow)
    w.double(clarifyMargin)
    w.double(clarifyFloor)
    for list in [
      stopwords, yes, no, unsure, skip, stop, restart, resume, catalogue, emergencyCategories,
      conversational, defaultSuggestions,
    ] {
      w.strings(list)
    }
    w.stringMap(messages)
    let m = matcher
    for value in [
      m.exampleWeight, m.conceptWeight, m.bigramWeight, m.intentSpreadWeight, m.linearWeight,
      m.charGramWeight, m.nearestOnlyScale, m.calibrationBias, m.calibrationScore,
      m.calibrationMargin,
    ] {
      w.double(value)
    }
    w.bool(m.similarityCharGrams)
    w.strings(m.nearestOnly)
    w.double(m.embeddingWeight)
    w.double(m.classBalance)
    w.double(m.offTopicGateAbove)
    w.double(m.offTopicGateSure)
    w.double(m.gateEmbeddingWeight)
    w.int(m.gateEpochs)
    let s = safety
    for value in [
      s.escalateAbove, s.checkAbove, s.distressAbove, s.charGramWeight, s.lexiconCheckBelow,
      s.embeddingWeight, s.contextWeight, s.discountedEscalateAbove, s.discountedCheckAbove,
      s.selfHarmModelCheckAbove, s.selfHarmModelEscalateAbove,
    ] {
      w.double(value)
    }
    w.int(s.epochs)
    w.strings(s.safetyNetWords)
    w.stringListMap(s.followThrough)
    w.stringListMap(conversationCues)
  }

  fileprivate init(snapshot r: inout SnapshotReader) throws(SnapshotError) {
    self.init(fallbackBelow: try r.double(), clarifyMargin: try r.double())
    clarifyFloor = try r.double()
    stopwords = try r.strings()
    yes = try r.strings()
    no = try r.strings()
    unsure = try r.strings()
    skip = try r.strings()
    stop = try r.strings()
    restart = try r.strings()
    resume = try r.strings()
    catalogue = try r.strings()
    emergencyCategories = try r.strings()
    conversational = try r.strings()
    defaultSuggestions = try r.strings()
    messages = try r.stringMap()
    matcher.exampleWeight = try r.double()
    matcher.conceptWeight = try r.double()
    matcher.bigramWeight = try r.double()
    matcher.intentSpreadWeight = try r.double()
    matcher.linearWeight = try r.double()
    matcher.charGramWeight = try r.double()
    matcher.nearestOnlyScale = try r.double()
    matcher.calibrationBias = try r.double()
    matcher.calibrationScore = try r.double()
    matcher.calibrationMargin = try r.double()
    matcher.similarityCharGrams = try r.bool()
    matcher.nearestOnly = try r.strings()
    matcher.embeddingWeight = try r.double()
    matcher.classBalance = try r.double()
    matcher.offTopicGateAbove = try r.double()
    matcher.offTopicGateSure = try r.double()
    matcher.gateEmbeddingWeight = try r.double()
    matcher.gateEpochs = try r.int()
    safety.escalateAbove = try r.double()
    safety.checkAbove = try r.double()
    safety.distressAbove = try r.double()
    safety.charGramWeight = try r.double()
    safety.lexiconCheckBelow = try r.double()
    safety.embeddingWeight = try r.double()
    safety.contextWeight = try r.double()
    safety.discountedEscalateAbove = try r.double()
    safety.discountedCheckAbove = try r.double()
    safety.selfHarmModelCheckAbove = try r.double()
    safety.selfHarmModelEscalateAbove = try r.double()
    safety.epochs = try r.int()
    safety.safetyNetWords = try r.strings()
    safety.followThrough = try r.stringListMap()
    conversationCues = try r.stringListMap()
  }
}

extension FlowDefinition {
  fileprivate func write(to w: inout SnapshotWriter) {
    w.string(name)
    w.string(intro)
    w.array(slots) { w, slot in
      w.string(slot.name)
      w.bool(slot.required)
      w.string(slot.prompt)
      w.string(slot.why)
      w.string(slot.reprompt)
      w.strings(slot.options)
    }
    w.bool(plan != nil)
    if let plan {
      w.string(plan.intro)
      w.array(plan.sections) { w, section in
        w.string(section.title)
        w.array(section.rules) { w, rule in
          w.string(rule.when)
          w.string(rule.say)
          KnowledgeBase.write(rule.sources, to: &w)
          w.string(rule.lead ?? "")
          w.string(rule.topic ?? "")
        }
      }
      w.string(plan.closing)
    }
    w.array(questions) { w, question in
      w.strings([
        question.id, question.ask, question.reprompt, question.finding, question.yesWhen,
        question.noWhen,
      ])
    }
    w.bool(outcomes != nil)
    if let outcomes {
      for outcome in [outcomes.seeDoctor, outcomes.selfCare] {
        w.string(outcome.say)
        KnowledgeBase.write(outcome.sources, to: &w)
      }
    }
  }

  fileprivate init(snapshot r: inout SnapshotReader) throws(SnapshotError) {
    name = try r.string()
    intro = try r.string()
    slots = try r.array { r throws(SnapshotError) in try SlotPrompt(snapshot: &r) }
    if try r.bool() {
      let intro = try r.string()
      let sections = try r.array { r throws(SnapshotError) in
        PlanSection(
          title: try r.string(),
          rules: try r.array { r throws(SnapshotError) in
            PlanRule(
              when: try r.string(), say: try r.string(),
              sources: try KnowledgeBase.readSources(&r),
              lead: try r.string().nonEmpty, topic: try r.string().nonEmpty)
          })
      }
      plan = PlanTemplate(intro: intro, sections: sections, closing: try r.string())
    } else {
      plan = nil
    }
    questions = try r.array { r throws(SnapshotError) in
      let fields = try r.strings()
      guard fields.count == 6 else { throw .corrupt("a checklist question") }
      return TriageQuestion(
        id: fields[0], ask: fields[1], reprompt: fields[2], finding: fields[3],
        yesWhen: fields[4], noWhen: fields[5])
    }
    if try r.bool() {
      let seeDoctor = Outcome(say: try r.string(), sources: try KnowledgeBase.readSources(&r))
      let selfCare = Outcome(say: try r.string(), sources: try KnowledgeBase.readSources(&r))
      outcomes = TriageOutcomes(seeDoctor: seeDoctor, selfCare: selfCare)
    } else {
      outcomes = nil
    }
  }
}

extension SlotPrompt {
  fileprivate init(snapshot r: inout SnapshotReader) throws(SnapshotError) {
    name = try r.string()
    required = try r.bool()
    prompt = try r.string()
    why = try r.string()
    reprompt = try r.string()
    options = try r.strings()
  }
}

extension String {
  /// The string, or nil when it is empty (an optional field written as "").
  fileprivate var nonEmpty: String? { isEmpty ? nil : self }
}
