/// The words the slot extractor reads, from `Intents/slots.yaml`.
///
/// The grammar (numbers, units, "N out of 10") is Swift; which words mean "upper back",
/// "lifting" or "pregnant" is data, so content authors can teach it "tailbone" or "deadlift".
public struct SlotLexicon: Codable, Hashable, Sendable {
  /// Phrases per location value.
  public var location: [String: [String]]
  /// Phrases that name a trigger by themselves, per value ("fell off my bike").
  public var trigger: [String: [String]]
  /// Phrases that name a trigger only after a cause cue or when the bot asked ("laptop").
  public var triggerContext: [String: [String]]
  /// Cues that present what follows as the cause ("since", "after", "because of").
  public var causeCues: [String]
  /// Phrases per population value.
  public var population: [String: [String]]
  /// Phrases that mean nerve symptoms are present.
  public var nerveSymptoms: [String]
  /// Phrases that mean no nerve symptoms ("no numbness").
  public var noNerveSymptoms: [String]
  /// Severity words and their value ("mild": 3).
  public var severityWords: [String: Int]
  /// Number words ("seven": 7, "a": 1, "couple": 2).
  public var numberWords: [String: Int]
  /// Duration units in days ("week": 7).
  public var durationUnits: [String: Int]
  /// Fixed duration phrases in days ("since yesterday": 1).
  public var durationPhrases: [String: Int]
  /// Age from which a person counts as `senior`.
  public var seniorAge: Int

  private enum CodingKeys: String, CodingKey {
    case location, trigger, population
    case triggerContext = "trigger_context"
    case causeCues = "cause_cues"
    case nerveSymptoms = "nerve_symptoms"
    case noNerveSymptoms = "no_nerve_symptoms"
    case severityWords = "severity_words"
    case numberWords = "number_words"
    case durationUnits = "duration_units"
    case durationPhrases = "duration_phrases"
    case seniorAge = "senior_age"
  }

  /// An empty lexicon, used only when `slots.yaml` is missing (reported as a problem).
  public static let empty = SlotLexicon(
    location: [:], trigger: [:], triggerContext: [:], causeCues: [], population: [:],
    nerveSymptoms: [], noNerveSymptoms: [], severityWords: [:], numberWords: [:],
    durationUnits: [:], durationPhrases: [:], seniorAge: 65)

  /// Creates a lexicon.
  public init(
    location: [String: [String]], trigger: [String: [String]],
    triggerContext: [String: [String]], causeCues: [String], population: [String: [String]],
    nerveSymptoms: [String], noNerveSymptoms: [String], severityWords: [String: Int],
    numberWords: [String: Int], durationUnits: [String: Int], durationPhrases: [String: Int],
    seniorAge: Int
  ) {
    self.location = location
    self.trigger = trigger
    self.triggerContext = triggerContext
    self.causeCues = causeCues
    self.population = population
    self.nerveSymptoms = nerveSymptoms
    self.noNerveSymptoms = noNerveSymptoms
    self.severityWords = severityWords
    self.numberWords = numberWords
    self.durationUnits = durationUnits
    self.durationPhrases = durationPhrases
    self.seniorAge = seniorAge
  }
}
