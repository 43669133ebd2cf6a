/// One conversation's memory between turns: a plain value, so a session store can hold
/// thousands and a replay can start from a fresh one.
public struct DialogueState: Equatable, Sendable {
  /// What the bot is in the middle of.
  public enum Mode: Equatable, Sendable {
    /// Nothing pending: the next message is a fresh question.
    case idle
    /// A guided intake, with its progress.
    case intake(IntakeProgress)
    /// The warning-sign checklist, with its progress.
    case checklist(ChecklistProgress)
    /// The bot asked "did you mean A or B?" and waits for the choice.
    case clarifying([String])
    /// The bot offered to start this flow and waits for yes or no.
    case offered(String)
    /// The bot asked whether a possible emergency sign is happening now (see
    /// ``SafetyCheck``); the mode it interrupted is kept inside.
    indirect case safetyCheck(SafetyCheck)
  }

  /// The current mode.
  public var mode: Mode = .idle
  /// A flow interrupted by an escalation, which "continue" resumes.
  public var suspended: Mode?
  /// Every escalation of this session, oldest first (never dropped, for audit).
  public var escalations: [EscalationRecord] = []
  /// How many messages this session has received.
  public var turn = 0
  /// The emergency this session escalated and has not yet said is over: follow-ups ("is it
  /// really that serious?") are answered with the action and the number again.
  public var emergency: EscalationRecord?
  /// The topic (intent) of the last answer, which a follow-up with no topic of its own
  /// ("is that safe?") is about, and the one before it.
  public var topic: String?
  /// The topic before ``topic``.
  public var previousTopic: String?
  /// The facet the last answer gave, which "what about X?" carries over to a new topic.
  public var lastFacet: String?
  /// Topic and facet pairs already answered (`intent#facet`), so nothing is repeated verbatim.
  public var given: Set<String> = []
  /// What the person has said about themselves.
  public var profile = Profile()
  /// The rest of a long reply shown in part, which "more" shows.
  public var more: String?

  /// A fresh conversation.
  public init() {}

  /// The name of the active flow, if any.
  public var activeFlow: String? { mode.flowName }
}

extension DialogueState.Mode {
  /// The flow this mode belongs to, if any (a safety check keeps the one it interrupted).
  var flowName: String? {
    switch self {
    case .intake(let p): return p.flow
    case .checklist(let p): return p.flow
    case .safetyCheck(let check): return check.resume.flowName
    case .idle, .clarifying, .offered: return nil
    }
  }
}

/// A yes/no question asked before answering, because a message might show an emergency sign
/// but the evidence is uncertain (the classifier between its thresholds).
///
/// Asking costs one turn; ignoring a real sign or alarming someone over a harmless one costs
/// more. "Yes" (or a new sign) escalates, "no" answers the message that raised the doubt.
public struct SafetyCheck: Equatable, Sendable {
  /// The category the sign may belong to.
  public var category: String
  /// The message that raised the doubt, answered after a "no".
  public var text: String
  /// What the bot was doing before it asked (an intake keeps its place).
  public var resume: DialogueState.Mode
  /// Unreadable answers so far.
  public var misses = 0

  /// Creates a pending check.
  public init(category: String, text: String, resume: DialogueState.Mode) {
    self.category = category
    self.text = text
    self.resume = resume
  }
}

/// Progress through a slot-filling intake.
public struct IntakeProgress: Equatable, Sendable {
  /// The flow's name.
  public var flow: String
  /// Slots filled so far.
  public var slots: SlotValues = [:]
  /// Slots the person skipped or the bot gave up on.
  public var skipped: Set<SlotName> = []
  /// The slot just asked for.
  public var awaiting: SlotName?
  /// Unreadable answers to the current question.
  public var misses = 0

  /// Starts an intake.
  public init(flow: String) { self.flow = flow }
}

/// Progress through a yes/no checklist.
public struct ChecklistProgress: Equatable, Sendable {
  /// The flow's name.
  public var flow: String
  /// Index of the question being asked.
  public var index = 0
  /// Findings (question ids answered yes or unsure).
  public var findings: [String] = []
  /// Questions answered no before they were asked ("no numbness" while asked how long):
  /// skipped when their turn comes.
  public var ruledOut: [String] = []
  /// Unreadable answers to the current question.
  public var misses = 0

  /// Starts a checklist.
  public init(flow: String) { self.flow = flow }
}

/// A record that this session escalated.
public struct EscalationRecord: Equatable, Sendable {
  /// The category.
  public var category: String
  /// The turn it happened on.
  public var turn: Int
}

/// What a person has said about themselves in a conversation, kept so that later answers fit
/// them (a pregnancy caution on medicines, "you mentioned you already see a physiotherapist")
/// and the intake never asks again what it already knows.
public struct Profile: Equatable, Sendable {
  /// Pregnant, senior or desk worker, as the intake's `population` slot reads it.
  public var population: String?
  /// Whether ``population`` was told of someone else ("my wife is 30 weeks pregnant"): the
  /// answers about her carry it, and it is let go when the writer turns to their own pain
  /// ("and me, I did my back painting the nursery").
  public var populationIsOthers = false
  /// Upper, middle or lower back.
  public var location: String?
  /// How long the pain has lasted, in days.
  public var durationDays: Int?
  /// The intake's pain score (0-10), kept once a plan is made, so that the plan asked for
  /// again (or after a correction) is made from it rather than asked for again.
  public var severity: Int?
  /// What set the pain off, as the intake read it, kept once a plan is made.
  public var trigger: String?
  /// Whether there is numbness or tingling, as the intake read it, kept once a plan is made.
  public var nerveSymptoms: Bool?
  /// Topics (intents) the person says they already use or tried.
  public var tried: [String] = []
  /// Topics the person wants to avoid ("without surgery").
  public var avoid: [String] = []
  /// What the person says they are allergic to or cannot take ("ibuprofen", "lavender"), in
  /// their words; any later reply that names one says so first.
  public var allergies: [String] = []
  /// Health conditions the person says they have ("I'm on warfarin", "I had a spinal
  /// fracture"), by the names of the `condition:` cue sets in `settings.yaml`.
  public var conditions: [String] = []

  /// An empty profile.
  public init() {}

  /// Whether nothing is known.
  public var isEmpty: Bool {
    population == nil && location == nil && durationDays == nil && severity == nil
      && trigger == nil && nerveSymptoms == nil && tried.isEmpty && avoid.isEmpty
      && allergies.isEmpty && conditions.isEmpty
  }
}

extension Profile {
  /// What the profile knows of the intake's questions, as its answers: the intake starts from
  /// them and never asks them again.
  var intakeAnswers: SlotValues {
    var slots: SlotValues = [:]
    if let location { slots[.location] = .word(location) }
    if let durationDays { slots[.durationDays] = .number(durationDays) }
    if let population { slots[.population] = .word(population) }
    if let severity { slots[.severity] = .number(severity) }
    if let trigger { slots[.trigger] = .word(trigger) }
    if let nerveSymptoms { slots[.nerveSymptoms] = .flag(nerveSymptoms) }
    return slots
  }

  /// Keeps what the intake learned, once the plan is made (population is kept as it is told:
  /// "none" is no group).
  mutating func keep(intakeAnswers slots: SlotValues) {
    if case .word(let value)? = slots[.location] { location = value }
    if case .number(let value)? = slots[.durationDays] { durationDays = value }
    if case .number(let value)? = slots[.severity] { severity = value }
    if case .word(let value)? = slots[.trigger] { trigger = value }
    if case .flag(let value)? = slots[.nerveSymptoms] { nerveSymptoms = value }
  }
}
