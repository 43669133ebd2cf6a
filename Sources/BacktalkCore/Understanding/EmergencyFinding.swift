/// What the emergency check concluded about one message.
public enum EmergencyFinding: Hashable, Sendable {
  /// An affirmed, current emergency sign: escalate now.
  case emergency(category: String, evidence: String)
  /// Signs were mentioned only as a question or hypothesis ("what are the warning signs"):
  /// answer with the see-a-doctor advice instead of an alarm.
  case informational(evidence: String)
}
