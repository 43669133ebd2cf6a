extension Assistant {
  /// What compiling a knowledge base produces (typo index, matcher and regression model, phrase
  /// patterns), as a value that can be written as bytes and read back.
  ///
  /// Front ends spawn the binary per conversation, and compiling costs about a hundred
  /// milliseconds where a cold start may take twenty. The core only turns the compiled parts
  /// into bytes and back; where the bytes are kept is the executable's business. Reading them
  /// needs no knowledge base, so a caller can read them while the knowledge base is decoded and
  /// join the two with ``Assistant/init(knowledge:region:compiled:)``.
  ///
  /// The caller supplies a `key` that must change whenever compiling could give another
  /// result (the knowledge base's files and the program itself): bytes written under another
  /// key are refused as ``SnapshotError/stale``.
  public struct Compiled: Sendable {
    /// The analyzer, the models and the emergency lexicon.
    let models: Models
    /// The slot extractor, the control phrases, the cue sets and the answers' tables.
    let phrases: Phrases
    static let controlCount = 8 + SafetySettings.followThroughOrder.count

    /// The format's name and version; bump the version when the layout changes.
    static let magic = "backtalk-compiled-21"

    /// The snapshot's first section.
    struct Models: Sendable {
      let analyzer: TextAnalyzer
      /// Restored with default knobs; ``Assistant/init(knowledge:region:compiled:)`` applies
      /// the knowledge base's own (the key guarantees they are the ones it was trained with).
      let matcher: IntentMatcher
      let detector: EmergencyDetector
      let classifier: EmergencyClassifier
      let selfHarmModel: EmergencyClassifier
      let neighbours: NeighbourIndex
      let domainGate: DomainGate

      func write(to w: inout SnapshotWriter) {
        analyzer.write(to: &w)
        matcher.write(to: &w)
        detector.write(to: &w)
        classifier.write(to: &w)
        selfHarmModel.write(to: &w)
        neighbours.write(to: &w)
        domainGate.write(to: &w)
      }

    }

    /// The snapshot's second section.
    struct Phrases: Sendable {
      /// Restored without its lexicon, which the knowledge base supplies on assembly.
      let extractor: SlotExtractor
      /// yes, no, unsure, skip, stop, restart, resume, the safety net's words, then the
      /// follow-through kinds in ``SafetySettings/followThroughOrder``.
      let controls: [PatternSet]
      /// The conversation layer's cue sets, by name.
      let cues: [String: PatternSet]
      /// The mean sentence vector of the domain's own examples (empty without embeddings).
      let domainCentroid: [Float]
      /// The words of every answer, sorted (see ``Assistant/answerWords``).
      let answerWords: StringTable
      /// Every facet answer's sentence vector (see ``Assistant/facetVectors``).
      let facetVectors: [String: [Float]]

      func write(to w: inout SnapshotWriter) {
        extractor.write(to: &w)
        w.array(controls) { w, set in set.write(to: &w) }
        w.array(cues.keys.sorted()) { w, name in
          w.string(name)
          cues[name]?.write(to: &w)
        }
        w.raw(domainCentroid)
        answerWords.write(to: &w)
        w.array(facetVectors.keys.sorted()) { w, key in
          w.string(key)
          w.raw(facetVectors[key] ?? [])
        }
      }

    }

    /// The compiled parts as bytes, labelled with `key`.
    public func snapshot(key: String) -> [UInt8] {
      var w = SnapshotWriter()
      w.string(Self.magic)
      w.string(key)
      // Two sections, the second's start first: a reader reads both at once.
      let second = w.placeholder()
      models.write(to: &w)
      w.patch(second, with: w.bytes.count)
      phrases.write(to: &w)
      return w.bytes
    }

    /// Reads bytes written by ``snapshot(key:)`` under the same `key`.
    ///
    /// - Throws: ``SnapshotError`` when the bytes are damaged or carry another key; then build
    ///   with ``Assistant/init(knowledge:region:tuning:)`` instead.
    public init(snapshot bytes: [UInt8], key: String) throws(SnapshotError) {
      try self.init(snapshot: SnapshotBuffer(copying: bytes), key: key)
    }

    /// Reads a snapshot in place (a memory-mapped file): the large tables are not copied.
    ///
    /// The models and the lexicon are read on another core while this one reads the cue sets
    /// (about half each): reading the patterns' words is most of a cold start.
    public init(snapshot buffer: SnapshotBuffer, key: String) throws(SnapshotError) {
      var r = SnapshotReader(buffer)
      guard try r.string() == Self.magic, try r.string() == key else { throw .stale }
      let second = try r.int()
      let start = r
      let (models, phrases) = ParallelWork.both(
        { () -> Result<Models, SnapshotError> in
          do throws(SnapshotError) {
            return .success(try Models(snapshot: start, end: second))
          } catch {
            return .failure(error)
          }
        },
        { () -> Result<Phrases, SnapshotError> in
          do throws(SnapshotError) {
            return .success(try Phrases(snapshot: start.reading(from: second)))
          } catch {
            return .failure(error)
          }
        })
      self.models = try models.get()
      self.phrases = try phrases.get()
    }

    init(models: Models, phrases: Phrases) {
      self.models = models
      self.phrases = phrases
    }
  }

  /// This assistant's compiled parts, to snapshot for the next start.
  public var compiled: Compiled {
    Compiled(
      models: Compiled.Models(
        analyzer: analyzer, matcher: matcher, detector: detector, classifier: classifier,
        selfHarmModel: selfHarmModel, neighbours: neighbours, domainGate: domainGate),
      phrases: Compiled.Phrases(
        extractor: extractor,
        controls: [yes, no, unsure, skip, stop, restart, resume, safetyNetWords]
          + SafetySettings.followThroughOrder.map { followThroughSets[$0] ?? PatternSet([]) },
        cues: cueSets.dictionary, domainCentroid: domainCentroid, answerWords: answerWords,
        facetVectors: facetVectors))
  }

  /// Assembles an assistant from a knowledge base and the parts compiled from it.
  ///
  /// - Parameters:
  ///   - knowledge: the knowledge base `compiled` was made from (answers, flows, settings and
  ///     slot words are read from it).
  ///   - region: a region code of `regions.yaml`.
  ///   - compiled: the parts, usually read from a snapshot.
  ///   - embeddings: the sentence-embedding table the parts were compiled with, if any.
  /// - Throws: ``AssistantError/unknownRegion(_:known:)``, or ``SnapshotError/stale`` when the
  ///   parts name intents the knowledge base does not have.
  public init(
    knowledge: KnowledgeBase, region: String = Region.defaultCode, compiled: Compiled,
    embeddings: StaticEmbeddingTable? = nil
  ) throws {
    guard let chosen = knowledge.region(named: region) else {
      throw AssistantError.unknownRegion(region, known: knowledge.regions.keys.sorted())
    }
    let m = compiled.models
    let p = compiled.phrases
    guard m.matcher.intentNames.allSatisfy({ knowledge.intent(named: $0) != nil }) else {
      throw SnapshotError.stale
    }
    self.knowledge = knowledge
    self.region = chosen
    analyzer = m.analyzer
    matcher = m.matcher.retuned(knowledge.settings.matcher)
    detector = m.detector
    classifier = m.classifier
    selfHarmModel = m.selfHarmModel
    neighbours = m.neighbours
    domainGate = m.domainGate
    // A classifier trained with sentence vectors needs the table they came from.
    for dimensions in [
      m.classifier.embeddingDimensions, m.matcher.embeddingDimensions,
      m.selfHarmModel.embeddingDimensions,
      m.domainGate.embeddingDimensions, m.neighbours.dimensions,
    ]
    where dimensions != 0 && dimensions != embeddings?.dimensions {
      throw SnapshotError.stale
    }
    self.embeddings = embeddings
    extractor = p.extractor.reading(knowledge.slotLexicon)
    let c = p.controls
    (yes, no, unsure, skip, stop, restart, resume) = (c[0], c[1], c[2], c[3], c[4], c[5], c[6])
    safetyNetWords = c[7]
    var sets: [String: PatternSet] = [:]
    for (i, kind) in SafetySettings.followThroughOrder.enumerated() { sets[kind] = c[8 + i] }
    followThroughSets = StringMap(sets)
    cueSets = StringMap(p.cues)
    usesCueNames = Self.usesCueNames(p.cues)
    (facetCues, followThroughCues, gapCues, conditionCues, conditionNames) = Self.cueIndexes(
      cues: p.cues, followThrough: sets)
    conversational = Set(knowledge.settings.conversational)
    generalAdvice = Self.intentList(knowledge.settings, "general_advice_intents")
    treatmentFamilies = Self.families(knowledge.settings)
    termNames = p.cues[Self.termCues] ?? PatternSet([])
    termOfName = Self.termOwners(knowledge)
    (termsByNameWord, topicTitleWords, termNameStems) = Self.recallIndexes(knowledge)
    questionConcepts = Self.questionConcepts(knowledge.settings)
    bodyContextConcepts = Self.conceptFeatures(knowledge.settings, "body_context_concepts")
    contextConcepts = Self.conceptFeatures(knowledge.settings, "context_concepts")
    domainConcepts = Self.conceptFeatures(knowledge.settings, "domain_concepts")
    gateDomainConcepts = Self.conceptFeatures(knowledge.settings, "gate_domain_concepts")
    medicineConcepts = Self.conceptFeatures(knowledge.settings, "medicine_class_concepts")
    domainCentroid = p.domainCentroid
    answerWords = p.answerWords
    facetVectors = p.facetVectors
    guard termNames.patterns.count == termOfName.count else { throw SnapshotError.stale }
  }
}

// (The sections' readers stand in extensions, so each keeps its memberwise initialiser.)
extension Assistant.Compiled.Models {
  /// Reads the section, which must end at `end`.
  init(snapshot reader: SnapshotReader, end: Int) throws(SnapshotError) {
    var r = reader
    analyzer = try TextAnalyzer(snapshot: &r)
    matcher = try IntentMatcher(snapshot: &r, tuning: MatcherTuning())
    detector = try EmergencyDetector(snapshot: &r)
    classifier = try EmergencyClassifier(snapshot: &r)
    selfHarmModel = try EmergencyClassifier(snapshot: &r)
    neighbours = try NeighbourIndex(snapshot: &r)
    domainGate = try DomainGate(snapshot: &r)
    guard r.position == end else { throw .corrupt("the models' section") }
  }
}

extension Assistant.Compiled.Phrases {
  /// Reads the section, which runs to the end of the snapshot.
  init(snapshot reader: SnapshotReader) throws(SnapshotError) {
    var r = reader
    extractor = try SlotExtractor(snapshot: &r, lexicon: .empty)
    controls = try r.array { r throws(SnapshotError) in try PatternSet(snapshot: &r) }
    let named = try r.array { r throws(SnapshotError) in
      (try r.string(), try PatternSet(snapshot: &r))
    }
    cues = Dictionary(named, uniquingKeysWith: { first, _ in first })
    domainCentroid = try r.raw(Float.self)
    answerWords = try StringTable(snapshot: &r)
    let vectors = try r.array { r throws(SnapshotError) in
      (try r.string(), try r.raw(Float.self))
    }
    facetVectors = Dictionary(vectors, uniquingKeysWith: { first, _ in first })
    guard controls.count == Assistant.Compiled.controlCount else {
      throw .corrupt("\(controls.count) control phrase lists")
    }
    guard r.isAtEnd else { throw .corrupt("data after the end of the model") }
  }
}
