import Yams

/// Everything backtalk knows, loaded from the YAML files of `Intents/` and checked as a whole.
///
/// The initialiser is pure (file names and contents in, a value out) so that tests can build a
/// knowledge base from inline YAML and the validator can plant defects in copies. Reading the
/// folder lives in `KnowledgeBase+Loading.swift`.
public struct KnowledgeBase: Sendable {
  /// Every intent, in file order.
  public let intents: [Intent]
  /// The guided flows by name.
  public let flows: [String: FlowDefinition]
  /// The emergency lexicon.
  public let emergencies: EmergencyLexicon
  /// Synonyms and spellings for the matcher.
  public let vocabulary: Vocabulary
  /// Emergency numbers by region code.
  public let regions: [String: Region]
  /// Thresholds and conversation words.
  public let settings: Settings
  /// The words the slot extractor reads.
  public let slotLexicon: SlotLexicon
  /// Labelled messages the emergency classifier learns from.
  public let emergencyCorpus: [EmergencyExample]
  /// The seed articles by file name (`documents.yaml`): what a reader sees for each citation.
  public let documents: [String: SourceDocument]
  /// Topics' answers by facet, by intent name.
  public let facets: [String: TopicFacets]
  /// The file each topic's facets came from, for the validator's messages.
  public let facetFiles: [String: String]
  /// Named things inside topics, in file order.
  public let terms: [Term]
  /// The raw files, kept so the validator can point at lines.
  public let files: [String: String]
  let intentIndex: [String: Int]

  /// Decodes and merges the given files, then checks their structure.
  ///
  /// - Parameter files: `(name, contents)` pairs, e.g. `("advice.yaml", "intents: ...")`.
  /// - Throws: `KnowledgeBaseError.invalid` listing every problem found, with file and line.
  public init(files: [(name: String, contents: String)]) throws {
    var decodedFiles: [(name: String, file: KnowledgeFile)] = []
    var problems: [KnowledgeProblem] = []
    // Each file is decoded on its own (the emergency corpus is half the bytes), on every core:
    // a process starting on an empty cache, and every one waiting for it, waits for this.
    let results = ParallelWork.map(files, cost: { $0.contents.utf8.count }) {
      file -> Result<KnowledgeFile, any Error> in
      Result { try YAMLDecoder().decode(KnowledgeFile.self, from: file.contents) }
    }
    for (file, result) in zip(files, results) {
      switch result {
      case .success(let decoded): decodedFiles.append((file.name, decoded))
      case .failure(let error): problems.append(Self.problem(decoding: error, file: file.name))
      }
    }
    try self.init(decoded: decodedFiles, contents: files, problems: problems)
  }

  /// Merges already decoded files (from ``init(files:)`` or a start-up cache of them) and checks
  /// the whole.
  ///
  /// - Parameters:
  ///   - decoded: each file's decoded content.
  ///   - contents: each file's text, for locating problems by line.
  ///   - problems: problems found while decoding.
  /// - Throws: `KnowledgeBaseError.invalid` listing every problem.
  public init(
    decoded: [(name: String, file: KnowledgeFile)],
    contents: [(name: String, contents: String)],
    problems: [KnowledgeProblem] = []
  ) throws {
    let decodedFiles = decoded
    let files = contents
    var problems = problems
    var intents: [Intent] = []
    var flows: [String: FlowDefinition] = [:]
    var categories: [EmergencyCategory] = []
    var context: EmergencyContext?
    var vocabulary = Vocabulary()
    var regions: [String: Region] = [:]
    var settings: Settings?
    var slotLexicon: SlotLexicon?
    var corpus: [EmergencyExample] = []
    var documents: [String: SourceDocument] = [:]
    var facets: [String: TopicFacets] = [:]
    var facetFiles: [String: String] = [:]
    var terms: [Term] = []
    var moreExamples: [(file: String, set: ExampleSet)] = []
    var wordClasses = WordClasses()
    for (name, decoded) in decodedFiles {
      wordClasses.classes.merge(decoded.wordClasses ?? [:]) { _, new in new }
      terms += decoded.terms ?? []
      moreExamples += (decoded.examples ?? []).map { (name, $0) }
      for var intent in decoded.intents ?? [] {
        intent.file = name
        intents.append(intent)
      }
      for flow in decoded.flows ?? [] { flows[flow.name] = flow }
      categories += decoded.categories ?? []
      if let c = decoded.context { context = c }
      vocabulary.spellings.merge(decoded.spellings ?? [:]) { _, new in new }
      vocabulary.concepts += decoded.concepts ?? []
      for region in decoded.regions ?? [] { regions[region.code] = region }
      if let s = decoded.settings { settings = s }
      if let s = decoded.slots { slotLexicon = s }
      corpus += decoded.emergencyCorpus ?? []
      for topic in decoded.facets ?? [] {
        if facets[topic.intent] != nil {
          problems.append(
            KnowledgeProblem(
              file: name, message: "the facets of '\(topic.intent)' are given twice; merge them"))
        }
        facets[topic.intent] = topic
        facetFiles[topic.intent] = name
      }
      for document in decoded.documents ?? [] { documents[document.file] = document }
    }
    // Word classes are expanded here, once: the detector, the cue sets and the snapshot only
    // ever see plain patterns.
    func expanded(_ patterns: [String], file: String) -> [String] {
      patterns.map { pattern in
        do { return try wordClasses.expanding(pattern) } catch {
          problems.append(KnowledgeProblem(file: file, message: "\(error)"))
          return pattern
        }
      }
    }
    for i in categories.indices {
      categories[i].patterns = expanded(categories[i].patterns, file: "emergencies.yaml")
    }
    if var s = settings {
      s.conversationCues = s.conversationCues.mapValues { expanded($0, file: "settings.yaml") }
      s.safety.followThrough = s.safety.followThrough.mapValues {
        expanded($0, file: "settings.yaml")
      }
      settings = s
    }
    // Every citation carries its article's title from here on (see SourceDocument).
    for i in intents.indices { intents[i].sources = intents[i].sources.titled(by: documents) }
    flows = flows.mapValues { $0.titled(by: documents) }
    for i in categories.indices {
      categories[i].sources = categories[i].sources.titled(by: documents)
    }
    facets = facets.mapValues { $0.titled(by: documents) }
    for i in terms.indices { terms[i].sources = terms[i].sources.titled(by: documents) }
    var index: [String: Int] = [:]
    let contents = Dictionary(files.map { ($0.name, $0.contents) }, uniquingKeysWith: { a, _ in a })
    for (i, intent) in intents.enumerated() {
      if index[intent.name] != nil {
        problems.append(
          KnowledgeProblem(
            file: intent.file,
            line: Self.line(of: "name: \(intent.name)", in: contents[intent.file]),
            message: "intent '\(intent.name)' is defined twice; merge the two definitions"))
      }
      index[intent.name] = i
    }
    for (file, set) in moreExamples {
      guard let i = index[set.intent] else {
        problems.append(
          KnowledgeProblem(
            file: file, line: Self.line(of: "intent: \(set.intent)", in: contents[file]),
            message: "examples for '\(set.intent)', which no file defines; check the name"))
        continue
      }
      intents[i].moreExamples += set.examples
    }
    if settings == nil {
      problems.append(
        KnowledgeProblem(
          file: "settings.yaml", message: "no `settings:` block found; add settings.yaml"))
    }
    if context == nil {
      problems.append(
        KnowledgeProblem(
          file: "emergencies.yaml", message: "no emergency `context:` block found"))
    }
    self.intents = intents
    self.intentIndex = index
    self.flows = flows
    self.emergencies = EmergencyLexicon(
      categories: categories, context: context ?? EmergencyContext.empty)
    self.vocabulary = vocabulary
    self.regions = regions
    self.settings = settings ?? .empty
    self.slotLexicon = slotLexicon ?? .empty
    self.emergencyCorpus = corpus
    self.documents = documents
    self.facets = facets
    self.facetFiles = facetFiles
    self.terms = terms
    if slotLexicon == nil {
      problems.append(KnowledgeProblem(file: "slots.yaml", message: "no `slots:` block found"))
    }
    self.files = contents
    problems += StructureCheck(knowledge: self).problems()
    if !problems.isEmpty { throw KnowledgeBaseError.invalid(problems) }
  }

  /// The region a front end or `--region` names, by its code or one of its aliases, in any case
  /// (`UK`, `gb`, `de`), if the knowledge base has it.
  public func region(named name: String) -> Region? {
    let key = String(name.lowercased().filter { !$0.isWhitespace })
    if let region = regions[key] { return region }
    return regions.values.first { $0.aliases.contains(key) }
  }

  /// The intent with this name, if any.
  public func intent(named name: String) -> Intent? {
    intentIndex[name].map { intents[$0] }
  }

  /// The 1-based line of the first line containing `needle`, for error messages.
  public static func line(of needle: String, in text: String?) -> Int? {
    guard let text else { return nil }
    // Byte search: this runs for every reported problem, and Foundation's `contains` on
    // substrings is slow on Linux.
    let haystack = Array(text.utf8)
    let pattern = Array(needle.utf8)
    guard !pattern.isEmpty, haystack.count >= pattern.count else { return nil }
    var number = 1
    var i = 0
    while i <= haystack.count - pattern.count {
      if haystack[i] == 0x0A {
        number += 1
      } else if haystack[i] == pattern[0] && Array(haystack[i..<(i + pattern.count)]) == pattern {
        return number
      }
      i += 1
    }
    return nil
  }

  private static func problem(decoding error: any Error, file: String) -> KnowledgeProblem {
    var error = error
    if case .dataCorrupted(let ctx)? = error as? DecodingError, let underlying = ctx.underlyingError
    {
      error = underlying
    }
    if let yaml = error as? YamlError {
      switch yaml {
      case .scanner(_, let problem, let mark, _), .parser(_, let problem, let mark, _):
        return KnowledgeProblem(file: file, line: mark.line, message: "YAML syntax: \(problem)")
      default:
        return KnowledgeProblem(file: file, message: "YAML: \(yaml)")
      }
    }
    if let decoding = error as? DecodingError {
      switch decoding {
      case .keyNotFound(let key, let ctx):
        return KnowledgeProblem(
          file: file,
          message: "missing key '\(key.stringValue)' at \(Self.path(ctx.codingPath))")
      case .typeMismatch(_, let ctx), .valueNotFound(_, let ctx), .dataCorrupted(let ctx):
        return KnowledgeProblem(
          file: file,
          message: "\(ctx.debugDescription) at \(Self.path(ctx.codingPath))")
      @unknown default:
        break
      }
    }
    return KnowledgeProblem(file: file, message: "cannot decode: \(error)")
  }

  private static func path(_ keys: [any CodingKey]) -> String {
    keys.map { $0.intValue.map { "[\($0)]" } ?? ".\($0.stringValue)" }.joined()
  }
}

extension EmergencyContext {
  /// No cues at all; used only when the file is missing (and reported as a problem).
  static let empty = EmergencyContext(
    negations: [], scopeEnds: [], hypothetical: [], otherPeople: [], resolvedPast: [],
    recent: [], figurative: [], pseudoNegations: [], assertions: [], pastTense: [], presentNow: [],
    questionWords: [], questionCues: [], pronounFolds: [:], recentForOthers: [])

  /// Creates a context from its cue lists.
  public init(
    negations: [String], scopeEnds: [String], hypothetical: [String], otherPeople: [String],
    resolvedPast: [String], recent: [String], figurative: [String], pseudoNegations: [String],
    assertions: [String], pastTense: [String], presentNow: [String], questionWords: [String],
    questionCues: [String], pronounFolds: [String: String], recentForOthers: [String]
  ) {
    self.recentForOthers = recentForOthers
    self.questionCues = questionCues
    self.questionWords = questionWords
    self.pronounFolds = pronounFolds
    self.presentNow = presentNow
    self.pastTense = pastTense
    self.pseudoNegations = pseudoNegations
    self.assertions = assertions
    self.negations = negations
    self.scopeEnds = scopeEnds
    self.hypothetical = hypothetical
    self.otherPeople = otherPeople
    self.resolvedPast = resolvedPast
    self.recent = recent
    self.figurative = figurative
  }
}
