import Dispatch

/// Two independent pieces of the knowledge base's compile, run on two cores at once.
///
/// A process starting on an empty cache answers its first message only after the compile (and
/// twenty processes starting together wait for the one that compiles): the emergency classifier
/// and the intent matcher train on different data, so neither needs to wait for the other.
/// Both results are deterministic whatever the timing; nothing is shared but read-only inputs.
enum ParallelWork {
  /// The results of `first` (on another thread) and `second` (on this one).
  static func both<A: Sendable, B: Sendable>(
    _ first: @escaping @Sendable () -> A, _ second: () -> B
  ) -> (A, B) {
    let slot = Slot<A>()
    DispatchQueue.global(qos: .userInitiated).async {
      slot.value = first()
      slot.done.signal()
    }
    let b = second()
    slot.done.wait()
    guard let a = slot.value else { return (first(), b) }
    return (a, b)
  }

  /// Where the other thread leaves its result; written once before `done` is signalled and read
  /// only after waiting for it (the semaphore orders the two).
  private final class Slot<Value>: @unchecked Sendable {
    var value: Value?
    let done = DispatchSemaphore(value: 0)
  }
}
