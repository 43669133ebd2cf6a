/// The emergency signs and the context cues that qualify them, as authored in
/// `Intents/emergencies.yaml`.
///
/// Kept as data so that a clinician can add "peed myself" or a new figure of speech without
/// touching Swift; ``EmergencyDetector`` compiles it once at load time.
public struct EmergencyLexicon: Codable, Hashable, Sendable {
  /// The seven categories of the catalogue with their phrases and messages.
  public var categories: [EmergencyCategory]
  /// Cue phrases for negation, hypotheticals, other people, time and figures of speech.
  public var context: EmergencyContext

  /// Creates a lexicon.
  public init(categories: [EmergencyCategory], context: EmergencyContext) {
    self.categories = categories
    self.context = context
  }
}

/// One emergency category: what to look for and what to say.
public struct EmergencyCategory: Codable, Hashable, Sendable {
  /// The catalogue name (`cardiac`, `self_harm`, ...).
  public var name: String
  /// A plain-words label.
  public var title: String
  /// `call_emergency` or `call_emergency_and_crisis_line`.
  public var action: String
  /// The escalation message; `{number}` and `{crisis}` are filled from the region.
  public var message: String
  /// Where the sign is described.
  public var sources: [SourceRef]
  /// Phrases in the pattern language of ``PhrasePattern``.
  public var patterns: [String]
  /// Time phrases that make this category's signs in a sentence no longer acute (a fall "last
  /// week"); empty for categories that stay urgent whenever they happened.
  public var staleAfter: [String] = []
  /// When set, a sign of this category said during an intake whose pain has already lasted
  /// longer than this many days (and not marked "just" or "now") describes how that pain
  /// began, not a new emergency: "I fell off my bike" as the answer to "what set it off?".
  public var acuteDays: Int?
  /// Phrases that keep a sign fresh despite a `stale_after` phrase ("again today").
  public var fresh: [String] = []

  private enum CodingKeys: String, CodingKey {
    case name, title, action, message, sources, patterns
    case staleAfter = "stale_after"
    case acuteDays = "acute_days"
    case fresh
  }

  /// Creates a category.
  public init(
    name: String, title: String, action: String, message: String, sources: [SourceRef],
    patterns: [String], staleAfter: [String] = [], acuteDays: Int? = nil, fresh: [String] = []
  ) {
    self.name = name
    self.title = title
    self.action = action
    self.message = message
    self.sources = sources
    self.patterns = patterns
    self.staleAfter = staleAfter
    self.acuteDays = acuteDays
    self.fresh = fresh
  }

  /// Decodes a category; `stale_after` is optional.
  public init(from decoder: any Decoder) throws {
    let c = try decoder.container(keyedBy: CodingKeys.self)
    name = try c.decode(String.self, forKey: .name)
    title = try c.decodeIfPresent(String.self, forKey: .title) ?? name
    action = try c.decodeIfPresent(String.self, forKey: .action) ?? "call_emergency"
    message = try c.decode(String.self, forKey: .message)
    sources = try c.decodeIfPresent([SourceRef].self, forKey: .sources) ?? []
    patterns = try c.decodeIfPresent([String].self, forKey: .patterns) ?? []
    staleAfter = try c.decodeIfPresent([String].self, forKey: .staleAfter) ?? []
    acuteDays = try c.decodeIfPresent(Int.self, forKey: .acuteDays)
    fresh = try c.decodeIfPresent([String].self, forKey: .fresh) ?? []
  }
}

/// The context cues of a NegEx/ConText-style detector.
public struct EmergencyContext: Codable, Hashable, Sendable {
  /// Cues that negate a sign that follows them ("no", "never", "without").
  public var negations: [String]
  /// Words that end a negation's scope ("but", "however").
  public var scopeEnds: [String]
  /// Cues that make a sentence informational or hypothetical ("warning signs", "what if").
  public var hypothetical: [String]
  /// Subjects that are someone else ("my dad").
  public var otherPeople: [String]
  /// Markers of long-ago history ("years ago").
  public var resolvedPast: [String]
  /// Markers that keep a sign current ("just", "minutes ago").
  public var recent: [String]
  /// Figures of speech removed before matching ("dying to know").
  public var figurative: [String]
  /// Phrases that look like negations but are not ("not sure", "no idea").
  public var pseudoNegations: [String]
  /// First-person statements that keep a question about a sign from being hypothetical
  /// ("I have", "right now").
  public var assertions: [String]
  /// Past-tense cues that, with another person as subject and no recent marker, make a
  /// mention family history rather than an emergency ("my mum had a stroke").
  public var pastTense: [String]
  /// Cues anywhere in a message that make every sign in it current ("right now").
  public var presentNow: [String]
  /// Cues that keep someone else's past-tense sign current ("my husband just collapsed").
  public var recentForOthers: [String]
  /// Words that, first in a sentence, make it a question ("is", "what", "can").
  public var questionWords: [String]
  /// Phrases that make a sentence a question about a sign ("is it serious").
  public var questionCues: [String]
  /// Other people's pronouns read as the first person when matching signs (her -> my).
  public var pronounFolds: [String: String]
  /// Phrases that say a sign is over ("it passed", "went away", "nothing since"): with no
  /// ``ongoing`` cue in the sentence and no ``presentNow`` cue in the message, the sign is
  /// set aside like history.
  public var resolution: [String] = []
  /// Cues that keep a sign current despite a resolution ("again", "still", "minutes ago").
  public var ongoing: [String] = []

  private enum CodingKeys: String, CodingKey {
    case negations, hypothetical, recent, figurative, assertions
    case pseudoNegations = "pseudo_negations"
    case pastTense = "past_tense"
    case presentNow = "present_now"
    case questionWords = "question_words"
    case recentForOthers = "recent_for_others"
    case questionCues = "question_cues"
    case pronounFolds = "pronoun_folds"
    case scopeEnds = "scope_ends"
    case otherPeople = "other_people"
    case resolvedPast = "resolved_past"
    case resolution, ongoing
  }

  /// Decodes the cues, defaulting missing lists to empty.
  public init(from decoder: any Decoder) throws {
    let c = try decoder.container(keyedBy: CodingKeys.self)
    negations = try c.decodeIfPresent([String].self, forKey: .negations) ?? []
    scopeEnds = try c.decodeIfPresent([String].self, forKey: .scopeEnds) ?? []
    hypothetical = try c.decodeIfPresent([String].self, forKey: .hypothetical) ?? []
    otherPeople = try c.decodeIfPresent([String].self, forKey: .otherPeople) ?? []
    resolvedPast = try c.decodeIfPresent([String].self, forKey: .resolvedPast) ?? []
    recent = try c.decodeIfPresent([String].self, forKey: .recent) ?? []
    figurative = try c.decodeIfPresent([String].self, forKey: .figurative) ?? []
    pseudoNegations = try c.decodeIfPresent([String].self, forKey: .pseudoNegations) ?? []
    assertions = try c.decodeIfPresent([String].self, forKey: .assertions) ?? []
    pastTense = try c.decodeIfPresent([String].self, forKey: .pastTense) ?? []
    presentNow = try c.decodeIfPresent([String].self, forKey: .presentNow) ?? []
    questionWords = try c.decodeIfPresent([String].self, forKey: .questionWords) ?? []
    recentForOthers = try c.decodeIfPresent([String].self, forKey: .recentForOthers) ?? []
    questionCues = try c.decodeIfPresent([String].self, forKey: .questionCues) ?? []
    pronounFolds = try c.decodeIfPresent([String: String].self, forKey: .pronounFolds) ?? [:]
    resolution = try c.decodeIfPresent([String].self, forKey: .resolution) ?? []
    ongoing = try c.decodeIfPresent([String].self, forKey: .ongoing) ?? []
  }
}
