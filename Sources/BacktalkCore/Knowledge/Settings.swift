/// Tunables and conversation words from `Intents/settings.yaml`.
///
/// Thresholds decide when the bot admits it is unsure; the word lists let the flows read
/// "yep", "nah", "kind of" and "never mind" without Swift changes.
public struct Settings: Codable, Hashable, Sendable {
  /// Below this confidence the bot says it is not sure and offers topics.
  public var fallbackBelow: Double
  /// When the top two intents are closer than this (in score), the bot asks which was meant.
  public var clarifyMargin: Double
  /// The least score the runner-up needs for a clarifying question to be worth asking.
  public var clarifyFloor: Double
  /// Words the matcher ignores.
  public var stopwords: [String]
  /// Phrases meaning yes, no and not sure inside a flow.
  public var yes: [String]
  /// Phrases meaning no.
  public var no: [String]
  /// Phrases meaning unsure / partly.
  public var unsure: [String]
  /// Phrases that skip an optional question.
  public var skip: [String]
  /// Phrases that cancel a flow.
  public var stop: [String]
  /// Phrases that restart.
  public var restart: [String]
  /// Phrases that resume a flow suspended by an escalation.
  public var resume: [String]
  /// Intent names of the catalogue that must exist.
  public var catalogue: [String]
  /// Emergency categories of the catalogue that must exist.
  public var emergencyCategories: [String]
  /// Intents that never interrupt a flow as a digression (greet, thanks...).
  public var conversational: [String]
  /// The engine's own lines (fallback, clarify, offer, corrections...), by key.
  public var messages: [String: String]
  /// The matcher's knobs.
  public var matcher: MatcherTuning
  /// Topics offered by the fallback when the matcher has no near candidate.
  public var defaultSuggestions: [String]
  /// The emergency classifier's thresholds and the safety layer's phrases.
  public var safety: SafetySettings
  /// Cue phrases of the conversation layer, by name: one list per facet (`timing`, `safety`,
  /// ...), `anaphora` ("is that safe?"), `more_of_same` ("what about..."), `what_else`,
  /// `tried` ("I already see a physio"), `comparison`, `close_flow` ("I'll see my doctor").
  public var conversationCues: [String: [String]]

  /// The engine line for `key`, or the key itself so a missing line is visible, not silent.
  public func message(_ key: String) -> String { messages[key] ?? "[\(key)]" }

  private enum CodingKeys: String, CodingKey {
    case stopwords, yes, no, unsure, skip, stop, restart, resume, catalogue, conversational
    case messages, matcher, safety
    case conversationCues = "conversation_cues"
    case defaultSuggestions = "default_suggestions"
    case fallbackBelow = "fallback_below"
    case clarifyMargin = "clarify_margin"
    case clarifyFloor = "clarify_floor"
    case emergencyCategories = "emergency_categories"
  }

  /// Decodes the settings with defaults for anything left out.
  public init(from decoder: any Decoder) throws {
    let c = try decoder.container(keyedBy: CodingKeys.self)
    fallbackBelow = try c.decodeIfPresent(Double.self, forKey: .fallbackBelow) ?? 0.35
    clarifyMargin = try c.decodeIfPresent(Double.self, forKey: .clarifyMargin) ?? 0.03
    clarifyFloor = try c.decodeIfPresent(Double.self, forKey: .clarifyFloor) ?? 0.25
    stopwords = try c.decodeIfPresent([String].self, forKey: .stopwords) ?? []
    yes = try c.decodeIfPresent([String].self, forKey: .yes) ?? []
    no = try c.decodeIfPresent([String].self, forKey: .no) ?? []
    unsure = try c.decodeIfPresent([String].self, forKey: .unsure) ?? []
    skip = try c.decodeIfPresent([String].self, forKey: .skip) ?? []
    stop = try c.decodeIfPresent([String].self, forKey: .stop) ?? []
    restart = try c.decodeIfPresent([String].self, forKey: .restart) ?? []
    resume = try c.decodeIfPresent([String].self, forKey: .resume) ?? []
    catalogue = try c.decodeIfPresent([String].self, forKey: .catalogue) ?? []
    emergencyCategories =
      try c.decodeIfPresent([String].self, forKey: .emergencyCategories) ?? []
    conversational = try c.decodeIfPresent([String].self, forKey: .conversational) ?? []
    messages = try c.decodeIfPresent([String: String].self, forKey: .messages) ?? [:]
    matcher = try c.decodeIfPresent(MatcherTuning.self, forKey: .matcher) ?? MatcherTuning()
    defaultSuggestions =
      try c.decodeIfPresent([String].self, forKey: .defaultSuggestions) ?? []
    safety = try c.decodeIfPresent(SafetySettings.self, forKey: .safety) ?? SafetySettings()
    conversationCues =
      try c.decodeIfPresent([String: [String]].self, forKey: .conversationCues) ?? [:]
  }

  /// Settings with every list empty and default thresholds, for tests.
  public static let empty = Settings(
    fallbackBelow: 0.35, clarifyMargin: 0.03)

  /// Creates settings with default word lists.
  public init(fallbackBelow: Double, clarifyMargin: Double) {
    self.fallbackBelow = fallbackBelow
    self.clarifyMargin = clarifyMargin
    clarifyFloor = 0.25
    stopwords = []
    yes = []
    no = []
    unsure = []
    skip = []
    stop = []
    restart = []
    resume = []
    catalogue = []
    emergencyCategories = []
    conversational = []
    messages = [:]
    matcher = MatcherTuning()
    defaultSuggestions = []
    safety = SafetySettings()
    conversationCues = [:]
  }
}
