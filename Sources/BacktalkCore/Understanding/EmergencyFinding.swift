/// What the emergency check concluded about one message.
public enum EmergencyFinding: Hashable, Sendable {
  /// An affirmed, current emergency sign: escalate now.
  case emergency(category: String, evidence: String)
  /// Signs were mentioned only as a question or hypothesis ("what are the warning signs"):
  /// answer with the see-a-doctor advice instead of an alarm.
  case informational(evidence: String)
  /// A sign was found but its context discounted it: `negated` ("no numbness"), `history`
  /// (someone else's or the person's own past), `resolved` ("it passed in seconds"),
  /// `figurative` ("this commute is killing me"). Nothing to escalate; the classifier alone
  /// needs to be surer.
  case discounted(category: String, reason: String, evidence: String)

  /// Whether the lexicon read a sign's context and set it aside.
  ///
  /// A question about a sign ("is that linked to my back?") is not: asked in the first person
  /// it is often the sign itself, and cross-validation lost more emergencies than it spared
  /// false alarms.
  public var isDiscounted: Bool {
    switch self {
    case .emergency, .informational: false
    case .discounted: true
    }
  }
}
