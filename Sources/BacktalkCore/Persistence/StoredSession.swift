/// One session as a ``PersistentSessionStore`` returns it.
public struct StoredSession: Equatable, Sendable {
  /// The revision to pass back to ``PersistentSessionStore/save(_:snapshot:replacing:escalations:)``.
  public var revision: Int64
  /// The snapshot bytes (``SessionSnapshot``).
  public var snapshot: [UInt8]
  /// How long ago it was last saved (by the store's clock), for the idle timeout.
  public var idle: Duration

  /// A stored session.
  public init(revision: Int64, snapshot: [UInt8], idle: Duration) {
    self.revision = revision
    self.snapshot = snapshot
    self.idle = idle
  }
}
