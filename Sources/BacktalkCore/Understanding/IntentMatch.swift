/// The matcher's verdict on one message: ranked intents and why.
public struct IntentMatch: Sendable, Equatable {
  /// One ranked candidate.
  public struct Candidate: Sendable, Equatable {
    /// The intent name.
    public let intent: String
    /// The raw similarity score (0..1, higher is closer).
    public let score: Double
    /// The example closest to the message.
    public let nearestExample: String
    /// The message features that contributed to this intent's score, strongest first.
    public let matchedFeatures: [String]
  }

  /// Candidates, best first (at most five).
  public let candidates: [Candidate]
  /// Calibrated confidence in 0..1 that the best candidate is right.
  public let confidence: Double
  /// The message features.
  public let features: [String]

  /// The best candidate's intent, if any feature matched at all.
  public var best: String? { candidates.first?.intent }

  /// The same ranking with `intent` first, at the best candidate's score and at least
  /// `confidence`: how a rule that reads more than the words (an off-topic purpose, a request
  /// for a plan, a farewell) overrules the matcher while keeping its other readings.
  ///
  /// With `replacingBest`, the reading overruled is set aside too, rather than kept as the
  /// runner-up at the same score (where it would be offered as the other thing meant): for a
  /// rule that knows the matcher's best was a misreading, not a rival.
  func promoting(_ intent: String, confidence floor: Double, replacingBest: Bool = false)
    -> IntentMatch
  {
    let own = candidates.first { $0.intent == intent }
    let first = Candidate(
      intent: intent, score: candidates.first?.score ?? 1,
      nearestExample: own?.nearestExample ?? "", matchedFeatures: own?.matchedFeatures ?? [])
    let overruled = replacingBest ? best : nil
    return IntentMatch(
      candidates: [first]
        + candidates.filter { $0.intent != intent && $0.intent != overruled }.prefix(4),
      confidence: max(confidence, floor), features: features)
  }

  /// The same ranking without its best candidate, the confidence recomputed for the next one:
  /// how a rule that knows a reading cannot be meant (a question about the assistant that
  /// never addresses it) sets it aside.
  func droppingBest(tuning: MatcherTuning) -> IntentMatch {
    let rest = IntentMatch(
      ranked: Array(candidates.dropFirst()), features: features, tuning: tuning)
    return rest.candidates.isEmpty
      ? IntentMatch(candidates: [], confidence: 0, features: features) : rest
  }
}

extension IntentMatch {
  /// A ranking, its confidence calibrated from the best score and its margin over the
  /// runner-up (`tuning`).
  init(ranked: [Candidate], features: [String], tuning: MatcherTuning) {
    let best = ranked.first?.score ?? 0
    let runnerUp = ranked.count > 1 ? ranked[1].score : 0
    self.init(
      candidates: ranked, confidence: tuning.confidence(best: best, runnerUp: runnerUp),
      features: features)
  }
}
