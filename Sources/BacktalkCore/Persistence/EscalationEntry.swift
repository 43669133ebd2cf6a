/// An escalation as the audit trail keeps it: which session, when, which emergency.
///
/// Escalations are the events someone may have to account for later ("did the assistant tell
/// them to call?"), so a store records each one with the turn that raised it, and keeps it
/// after the session itself is ended or expires.
public struct EscalationEntry: Equatable, Sendable {
  /// The session key.
  public var session: String
  /// The emergency category (`cardiac`, `self_harm`...).
  public var category: String
  /// The session's turn that escalated.
  public var turn: Int
  /// When it was recorded, in milliseconds since 1970 UTC (stamped by the store; ignored when
  /// recording).
  public var time: Int64

  /// An entry.
  public init(session: String, category: String, turn: Int, time: Int64 = 0) {
    self.session = session
    self.category = category
    self.turn = turn
    self.time = time
  }
}
