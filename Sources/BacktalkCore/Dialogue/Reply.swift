/// Everything the bot says in one turn, in a shape every adapter (REPL, JSON Lines, replay)
/// renders without further logic.
public struct Reply: Equatable, Sendable {
  /// What kind of turn this was, so front ends can style it.
  public enum Kind: String, Sendable, Equatable, CaseIterable {
    /// An answer from the knowledge base.
    case answer
    /// A question of a guided flow (see `awaiting`).
    case question
    /// The plan that ends an intake.
    case plan
    /// The result of the warning-sign checklist.
    case result
    /// "Did you mean A or B?"
    case clarify
    /// Not sure what was meant, or not covered: honest fallback with topics.
    case fallback
    /// An emergency sign: call for help now.
    case escalation
    /// Conversation management: flow cancelled, restarted, resumed.
    case notice
    /// A yes/no question asked because the message might show an emergency sign.
    case safetyCheck = "safety_check"
  }

  /// What the bot says.
  public var text: String
  /// The intent understood, or nil.
  public var intent: String?
  /// How sure the matcher is (1 for deterministic turns such as flow answers and escalations).
  public var confidence: Double
  /// The kind of turn.
  public var kind: Kind
  /// The emergency, when the message showed one.
  public var escalation: Escalation?
  /// The guided flow still active after this turn.
  public var flow: String?
  /// The slot or checklist question the bot has just asked for.
  public var awaiting: String?
  /// The slots filled so far in this session's intake.
  public var slots: SlotValues
  /// Follow-up questions a front end can show as buttons.
  public var suggestions: [String]
  /// Where every fact of `text` comes from.
  public var sources: [SourceRef]
  /// Choices for the question asked (`awaiting`), for pickers.
  public var options: [String]
  /// Why the matcher chose what it chose (only when asked for).
  public var trace: IntentMatch?
  /// Which safety layer decided, and on what (only when asked for, or when one fired).
  public var safety: SafetyTrace?
  /// Which part of a topic the text answers (`overview`, `how`, `timing`, `safety`,
  /// `evidence`, `population.<name>`, `gap`), or nil for replies that are not about a topic.
  public var facet: String?
  /// What the person has said about themselves in this session.
  public var profile = Profile()

  /// Whether the reply escalates.
  public var escalate: Bool { escalation != nil }

  /// Creates a reply; most fields default to "nothing".
  public init(
    text: String, intent: String?, confidence: Double, kind: Kind,
    escalation: Escalation? = nil, flow: String? = nil, awaiting: String? = nil,
    slots: SlotValues = [:], suggestions: [String] = [], sources: [SourceRef] = [],
    options: [String] = [], trace: IntentMatch? = nil
  ) {
    self.text = text
    self.intent = intent
    self.confidence = confidence
    self.kind = kind
    self.escalation = escalation
    self.flow = flow
    self.awaiting = awaiting
    self.slots = slots
    self.suggestions = suggestions
    self.sources = sources
    self.options = options
    self.trace = trace
  }
}

/// Which safety layer spoke on a message and why, for `why` and `"trace": true`.
public struct SafetyTrace: Equatable, Sendable {
  /// `lexicon`, `classifier`, `safety_check`, `follow_through` or `none`.
  public var layer: String
  /// What the layer decided (`escalate`, `check`, `informational`, `distress`, `clear`...).
  public var decision: String
  /// The lexicon's matched words, when it matched.
  public var evidence: String?
  /// The classifier's emergency probability and its most likely category.
  public var score: Double
  /// The category the classifier leans to.
  public var category: String
  /// The escalation and safety-check thresholds in force.
  public var escalateAbove: Double
  /// The safety-check threshold.
  public var checkAbove: Double
  /// The classifier's probability of despair about the pain (no emergency sign).
  public var distress: Double = 0
  /// The threshold above which despair gets empathy (and, with words of despair, the crisis
  /// line).
  public var distressAbove: Double = 0
}

/// The emergency part of a reply.
public struct Escalation: Equatable, Sendable {
  /// The catalogue category (`cardiac`, `self_harm`...).
  public var category: String
  /// `call_emergency` or `call_emergency_and_crisis_line`.
  public var action: String
  /// The emergency number for the configured region.
  public var number: String
  /// The crisis line, for self-harm, as a sentence.
  public var crisisLine: String?
  /// The crisis line's number as digits, for a `tel:` link; set exactly when ``crisisLine`` is.
  public var crisisNumber: String?
  /// The words of the message that showed the sign.
  public var evidence: String
}

extension Reply {
  /// Opens the text with a paragraph said for this person (see
  /// ``Assistant/shape(_:intent:facet:state:)``).
  mutating func putFirst(_ paragraph: String) {
    text = text.isEmpty ? paragraph : paragraph + "\n\n" + text
  }
}
