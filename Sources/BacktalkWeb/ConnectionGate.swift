import Synchronization

/// Counts open chat connections against a cap, so a client opening sockets in a loop cannot
/// take memory and file descriptors from everyone else.
///
/// A `final class` around a `Mutex` because every connection's task shares the one count; the
/// lock is held only to compare and add.
public final class ConnectionGate: Sendable {
  /// The most connections open at once.
  public let capacity: Int
  private let open = Mutex(0)

  /// Creates a gate that lets `capacity` connections in.
  public init(capacity: Int) { self.capacity = max(1, capacity) }

  /// How many connections are open.
  public var count: Int { open.withLock { $0 } }

  /// Whether another connection would fit now (a hint for refusing a handshake early; the
  /// place is only taken by ``enter()``).
  public var hasRoom: Bool { count < capacity }

  /// Takes a place; false when the gate is full.
  public func enter() -> Bool {
    open.withLock { count in
      guard count < capacity else { return false }
      count += 1
      return true
    }
  }

  /// Gives a place back.
  public func leave() {
    open.withLock { $0 = max(0, $0 - 1) }
  }
}
