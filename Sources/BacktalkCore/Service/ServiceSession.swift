/// One conversation as the service keeps it: the dialogue state and the region it was opened
/// with.
///
/// The region belongs to the session rather than to the process so that one `serve` process
/// can talk to people in several countries, each hearing their own emergency numbers.
public struct ServiceSession: Equatable, Sendable {
  /// Where the conversation stands.
  public var dialogue = DialogueState()
  /// The index of the session's region among the service's regions (sorted codes).
  public var region: Int
  /// The revision of the session's row in a ``PersistentSessionStore`` when this copy was
  /// saved (0 without a store).
  public var revision: Int64 = 0

  /// A fresh session in a region.
  public init(region: Int) { self.region = region }
}
