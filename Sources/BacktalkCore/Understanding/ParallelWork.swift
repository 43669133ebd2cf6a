import Dispatch

/// Independent pieces of the knowledge base's load and compile, run on several cores at once.
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

  /// `transform` of every element, in order, computed on every core (largest `cost` first, so
  /// one big item does not start last).
  static func map<T: Sendable, R: Sendable>(
    _ items: [T], cost: (T) -> Int, _ transform: @Sendable (T) -> R
  ) -> [R] {
    let order = items.indices.sorted { cost(items[$0]) > cost(items[$1]) }
    let results = Results<R>(count: items.count)
    DispatchQueue.concurrentPerform(iterations: items.count) { k in
      let i = order[k]
      results.set(i, transform(items[i]))
    }
    return results.values()
  }

  /// Each iteration writes its own slot only, through a buffer allocated up front (never
  /// through the array API, whose mutating accessors are not safe from several threads), and
  /// the values are read after `concurrentPerform` returns, which orders the writes before.
  private final class Results<R>: @unchecked Sendable {
    private let slots: UnsafeMutableBufferPointer<R?>

    init(count: Int) {
      slots = .allocate(capacity: count)
      slots.initialize(repeating: nil)
    }

    deinit {
      slots.deinitialize()
      slots.deallocate()
    }

    func set(_ index: Int, _ value: R) { slots[index] = value }

    func values() -> [R] { slots.compactMap { $0 } }
  }

  /// Where the other thread leaves its result; written once before `done` is signalled and read
  /// only after waiting for it (the semaphore orders the two).
  private final class Slot<Value>: @unchecked Sendable {
    var value: Value?
    let done = DispatchSemaphore(value: 0)
  }
}
