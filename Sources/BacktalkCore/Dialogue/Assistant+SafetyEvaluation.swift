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

    /// What a fresh conversation would do with the message under these thresholds:
    /// `escalate`, `check` or `none`, and the category it escalates or asks about.
    public func decision(escalateAbove: Double, checkAbove: Double, lexiconCheckBelow: Double)
      -> (action: String, category: String?)
    {
      if case .emergency(let category, _)? = lexicon {
        return (score.emergency < lexiconCheckBelow ? "check" : "escalate", category)
      }
      if score.emergency >= escalateAbove { return ("escalate", score.category) }
      if score.emergency >= checkAbove { return ("check", score.category) }
      return ("none", nil)
    }
  }

  /// K-fold cross-validation of the classifier on its training rows, with the lexicon's
  /// finding beside each out-of-fold score (the lexicon itself is not refitted: its figures on
  /// `lexicon_table` rows are on the table it was written against).
  public func safetyCrossValidation(folds: Int) -> [SafetyOutcome] {
    let corpus = knowledge.emergencyCorpus.map {
      ($0.text, $0.category ?? EmergencyClassifier.harmless, $0.origin ?? "corpus")
    }
    let examples = knowledge.intents.flatMap { intent in
      intent.examples.map { ($0, EmergencyClassifier.harmless, "intent_example") }
    }
    let rows = corpus + examples
    let analyses = rows.map { analyzer.analyze($0.0) }
    let safety = settings.safety
    let scores = EmergencyClassifier.crossValidate(
      examples: zip(analyses, rows).map { ($0, $1.1) },
      categories: knowledge.emergencies.categories.map(\.name), epochs: safety.epochs,
      charGramWeight: safety.charGramWeight, folds: folds,
      embeddings: embeddings.map { table in rows.map { table.embed($0.0) } } ?? [],
      embeddingWeight: safety.embeddingWeight)
    return rows.indices.map { i in
      SafetyOutcome(
        text: rows[i].0, label: rows[i].1, lexicon: detector.check(analyses[i]),
        score: scores[i], origin: rows[i].2)
    }
  }

  /// The safety layers' view of labelled messages, with the shipped classifier.
  public func safetyOutcomes(_ rows: [(text: String, label: String)], origin: String)
    -> [SafetyOutcome]
  {
    rows.map { row in
      let analysis = analyzer.analyze(row.text)
      let embedding = classifier.embeddingDimensions > 0 ? embeddings?.embed(row.text) ?? [] : []
      return SafetyOutcome(
        text: row.text, label: row.label, lexicon: detector.check(analysis),
        score: classifier.score(analysis, embedding: embedding), origin: origin)
    }
  }

  /// The classifier's score for a text (for `why` and tests).
  public func emergencyScore(in text: String) -> EmergencyScore {
    prepare(text).safety
  }
}
