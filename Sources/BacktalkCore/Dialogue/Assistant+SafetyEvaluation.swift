/// Measuring the safety layers: out-of-fold classifier scores on the corpus, and the whole
/// decision (lexicon, classifier, thresholds) on any labelled message.
extension Assistant {
  /// One labelled message and what the safety layers made of it.
  public struct SafetyOutcome: Sendable {
    /// The message.
    public let text: String
    /// Its label: a category, `distress`, or `none`.
    public let label: String
    /// The lexicon's finding.
    public let lexicon: EmergencyFinding?
    /// The classifier's score (out of fold in cross-validation).
    public let score: EmergencyScore
    /// Where the row came from (`lexicon_table`, `corpus`, `intent_example`, or a file).
    public let origin: String
    /// Whether the message is too short for the classifier alone to escalate it.
    public let isShort: Bool
    /// Whether the message says a sign is over ("it's gone now", "years ago"), which keeps
    /// the classifier alone from escalating.
    public let isResolved: Bool

    /// What a fresh conversation would do with the message under these thresholds:
    /// `escalate`, `check` or `none`, and the category it escalates or asks about (the
    /// decision of ``Assistant/safetyFirst(_:state:)`` for a first message).
    public func decision(_ limits: SafetySettings) -> (action: String, category: String?) {
      if case .emergency(let category, _)? = lexicon {
        let asks = score.emergency < limits.lexiconCheckBelow && category != Assistant.selfHarm
        return (asks ? "check" : "escalate", category)
      }
      let thresholds = limits.classifierThresholds(discounted: lexicon?.isDiscounted == true)
      if score.emergency >= thresholds.escalate {
        return (isShort || isResolved ? "check" : "escalate", score.category)
      }
      if score.emergency >= thresholds.check { return ("check", score.category) }
      return ("none", nil)
    }
  }

  /// One outcome, with what the safety layers read besides the scores.
  private func outcome(
    _ text: String, label: String, analysis: Analysis, lexicon: EmergencyFinding?,
    score: EmergencyScore, origin: String
  ) -> SafetyOutcome {
    let words = analysis.tokens.filter { !TextNormalizer.isBreak($0) }.count
    return SafetyOutcome(
      text: text, label: label, lexicon: lexicon, score: score, origin: origin,
      isShort: words <= Self.shortMessageWords,
      isResolved: saysResolved(analysis.tokens))
  }

  /// K-fold cross-validation of the classifier on its training rows, with the lexicon's
  /// finding beside each out-of-fold score (the lexicon itself is not refitted: its figures on
  /// `lexicon_table` rows are on the table it was written against).
  public func safetyCrossValidation(folds: Int) -> [SafetyOutcome] {
    let corpus = knowledge.emergencyCorpus.filter(\.teachesClassifier).map {
      ($0.text, $0.category ?? EmergencyClassifier.harmless, $0.origin ?? "corpus")
    }
    let examples = knowledge.intents.flatMap { intent in
      intent.examples.map { ($0, EmergencyClassifier.harmless, "intent_example") }
    }
    let rows = corpus + examples
    let analyses = rows.map { analyze($0.0) }
    let safety = settings.safety
    let scores = EmergencyClassifier.crossValidate(
      examples: zip(analyses, rows).map { ($0, $1.1) },
      categories: knowledge.emergencies.categories.map(\.name), epochs: safety.epochs,
      charGramWeight: safety.charGramWeight, folds: folds,
      embeddings: embeddings.map { table in rows.map { table.embed($0.0) } } ?? [],
      embeddingWeight: safety.embeddingWeight, contextWeight: safety.contextWeight)
    return rows.indices.map { i in
      outcome(
        rows[i].0, label: rows[i].1, analysis: analyses[i], lexicon: detector.check(analyses[i]),
        score: scores[i], origin: rows[i].2)
    }
  }

  /// K-fold cross-validation of the self-harm model on its own training rows.
  ///
  /// Each row's label (`self_harm`, `distress` or `none`) and its out-of-fold probability of
  /// self-harm: the model's two thresholds in `settings.yaml` are chosen on these.
  public func selfHarmModelCrossValidation(folds: Int) -> [(label: String, probability: Double)] {
    let rows = Self.selfHarmRows(knowledge)
    let safety = settings.safety
    let scores = EmergencyClassifier.crossValidate(
      examples: rows.map { (analyze($0.text), $0.label) }, categories: [Self.selfHarm],
      epochs: safety.epochs, charGramWeight: safety.charGramWeight, folds: folds,
      embeddings: embeddings.map { table in rows.map { table.embed($0.text) } } ?? [],
      embeddingWeight: safety.embeddingWeight, contextWeight: safety.contextWeight)
    return zip(rows, scores).map { ($0.label, $1.emergency) }
  }

  /// The safety layers' view of labelled messages, with the shipped classifier.
  public func safetyOutcomes(_ rows: [(text: String, label: String)], origin: String)
    -> [SafetyOutcome]
  {
    rows.map { row in
      let analysis = analyze(row.text)
      let embedding = classifier.embeddingDimensions > 0 ? embeddings?.embed(row.text) ?? [] : []
      let lexicon = detector.check(analysis)
      return outcome(
        row.text, label: row.label, analysis: analysis, lexicon: lexicon,
        score: emergencyScore(analysis, embedding: embedding, bySentence: lexicon == nil),
        origin: origin)
    }
  }

  /// The classifier's score for a text (for `why` and tests).
  public func emergencyScore(in text: String) -> EmergencyScore {
    prepare(text).safety
  }
}
