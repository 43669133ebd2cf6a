/// The knobs of the safety layer beyond the lexicon, from `settings.yaml`'s `safety:` block.
///
/// The thresholds are chosen by cross-validation (`backtalk eval --emergency`), biased to
/// recall; the phrase lists let the emergency follow-through and the fallback's safety net be
/// extended without Swift.
public struct SafetySettings: Codable, Hashable, Sendable {
  /// The classifier's emergency probability at or above which the bot escalates.
  public var escalateAbove: Double = 0.6
  /// At or above this (and below `escalateAbove`) the bot asks a yes/no safety check.
  public var checkAbove: Double = 0.3
  /// A lexicon sign the classifier finds this unlikely is asked about (a safety check)
  /// instead of escalated: the lexicon's phrases also match resolved and hypothetical signs
  /// its context rules miss ("the dizziness passed days ago").
  public var lexiconCheckBelow: Double = 0.05
  /// The probability of despair at or above which the reply opens with empathy and the crisis
  /// line.
  public var distressAbove: Double = 0.5
  /// Training epochs of the classifier.
  public var epochs: Int = 12
  /// Weight of the character n-grams against the word features.
  public var charGramWeight: Double = 0.5
  /// Weight of the sentence embedding against the hashed word features.
  public var embeddingWeight: Double = 1
  /// Weight of the stems marked with their sentence's time, person or mood ("last year",
  /// "my dad", "what if"); 0 leaves them out.
  public var contextWeight: Double = 0
  /// When the lexicon found a sign and its context rules discounted it (negated, someone
  /// else's or the person's own past, said to be over, a figure of speech), the
  /// classifier alone escalates only at or above this, and asks a
  /// safety check only at or above ``discountedCheckAbove`` (each never below the ordinary
  /// threshold): the lexicon read the words the classifier only weighs.
  public var discountedEscalateAbove: Double = 0
  /// See ``discountedEscalateAbove``.
  public var discountedCheckAbove: Double = 0
  /// The dedicated self-harm model's probability at or above which its reading joins the
  /// classifier's as an uncertain one (a safety check); 0 leaves the model unread.
  ///
  /// The emergency classifier weighs every category at once, and rows that taught it more
  /// ways of saying self-harm cost it neurological signs; a second model that reads only
  /// self-harm against everything else (``Assistant/selfHarmRows(_:)``) can learn them without
  /// moving another category. Its probabilities are its own, so it has its own thresholds,
  /// mapped onto the classifier's (see ``Assistant/emergencyScore(_:embedding:bySentence:)``): every
  /// guard of the classifier's readings then applies to it unchanged.
  public var selfHarmModelCheckAbove: Double = 0
  /// The dedicated self-harm model's probability at or above which it reads as sure as the
  /// classifier at ``escalateAbove``.
  public var selfHarmModelEscalateAbove: Double = 0
  /// Symptom words that make a fallback add a line on warning signs.
  public var safetyNetWords: [String] = []
  /// Phrases for each kind of follow-up after an escalation (`easing`, `resolved`, `arrived`,
  /// `call_for_me`, `privacy`, `line`, `what_to_say`, `en_route`, `transport`, `waiting`,
  /// `plan`, `delay`, `scared`, `doubt`, `acknowledge`...), checked in the order of
  /// ``followThroughOrder``.
  public var followThrough: [String: [String]] = [:]

  /// The follow-up kinds, most specific first.
  public static let followThroughOrder = [
    "cancel", "easing", "seen", "old", "resolved", "other_person", "call_for_me", "privacy",
    "arrived", "on_call",
    "no_phone", "line", "medicine",
    "move", "what_to_say", "company", "en_route", "transport", "activity",
    "waiting",
    "alone",
    "cost", "plan", "delay", "substitute", "scared", "doubt", "texting", "acknowledge",
  ]

  private enum CodingKeys: String, CodingKey {
    case epochs
    case escalateAbove = "escalate_above"
    case checkAbove = "check_above"
    case lexiconCheckBelow = "lexicon_check_below"
    case distressAbove = "distress_above"
    case charGramWeight = "char_gram_weight"
    case embeddingWeight = "embedding_weight"
    case contextWeight = "context_weight"
    case discountedEscalateAbove = "discounted_escalate_above"
    case discountedCheckAbove = "discounted_check_above"
    case selfHarmModelCheckAbove = "self_harm_model_check_above"
    case selfHarmModelEscalateAbove = "self_harm_model_escalate_above"
    case safetyNetWords = "safety_net_words"
    case followThrough = "follow_through"
  }

  /// Defaults: no safety-net words, no follow-through phrases.
  public init() {}

  /// Decodes the block with defaults for anything left out.
  public init(from decoder: any Decoder) throws {
    let c = try decoder.container(keyedBy: CodingKeys.self)
    escalateAbove = try c.decodeIfPresent(Double.self, forKey: .escalateAbove) ?? escalateAbove
    checkAbove = try c.decodeIfPresent(Double.self, forKey: .checkAbove) ?? checkAbove
    distressAbove = try c.decodeIfPresent(Double.self, forKey: .distressAbove) ?? distressAbove
    lexiconCheckBelow =
      try c.decodeIfPresent(Double.self, forKey: .lexiconCheckBelow) ?? lexiconCheckBelow
    epochs = try c.decodeIfPresent(Int.self, forKey: .epochs) ?? epochs
    charGramWeight =
      try c.decodeIfPresent(Double.self, forKey: .charGramWeight) ?? charGramWeight
    embeddingWeight =
      try c.decodeIfPresent(Double.self, forKey: .embeddingWeight) ?? embeddingWeight
    contextWeight = try c.decodeIfPresent(Double.self, forKey: .contextWeight) ?? contextWeight
    discountedEscalateAbove =
      try c.decodeIfPresent(Double.self, forKey: .discountedEscalateAbove)
      ?? discountedEscalateAbove
    discountedCheckAbove =
      try c.decodeIfPresent(Double.self, forKey: .discountedCheckAbove) ?? discountedCheckAbove
    selfHarmModelCheckAbove =
      try c.decodeIfPresent(Double.self, forKey: .selfHarmModelCheckAbove)
      ?? selfHarmModelCheckAbove
    selfHarmModelEscalateAbove =
      try c.decodeIfPresent(Double.self, forKey: .selfHarmModelEscalateAbove)
      ?? selfHarmModelEscalateAbove
    safetyNetWords = try c.decodeIfPresent([String].self, forKey: .safetyNetWords) ?? []
    followThrough = try c.decodeIfPresent([String: [String]].self, forKey: .followThrough) ?? [:]
  }

  /// The classifier's thresholds for a message: the ordinary ones, or the stricter ones when
  /// the lexicon discounted a sign in it.
  public func classifierThresholds(discounted: Bool) -> (escalate: Double, check: Double) {
    discounted
      ? (max(escalateAbove, discountedEscalateAbove), max(checkAbove, discountedCheckAbove))
      : (escalateAbove, checkAbove)
  }
}
