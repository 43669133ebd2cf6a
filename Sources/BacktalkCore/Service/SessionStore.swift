/// The conversations of one `serve` process, bounded in number and in idle time.
///
/// A front end may open 100,000 sessions and never close them, so the store keeps at most
/// `capacity` (least recently used dropped first) and forgets any idle longer than `ttl`.
/// An intrusive doubly linked list over an array makes every operation O(1): lookups on each
/// message, and expiry that walks from the stale end only over what it removes. Time is a
/// parameter (`now`), never read here, so tests drive expiry with explicit instants.
public struct SessionStore<Value: Sendable>: Sendable {
  private struct Node: Sendable {
    var key: String
    var value: Value
    var lastUsed: ContinuousClock.Instant
    var newer: Int
    var older: Int
  }

  /// The most sessions kept at once.
  public let capacity: Int
  /// How long an idle session is kept.
  public let ttl: Duration
  private var nodes: [Node] = []
  private var free: [Int] = []
  private var index: [String: Int] = [:]
  private var newest = -1
  private var oldest = -1
  /// Sessions dropped because they were idle too long or the store was full (for metrics).
  public private(set) var evictions = 0

  /// Creates an empty store.
  public init(capacity: Int, ttl: Duration) {
    self.capacity = max(1, capacity)
    self.ttl = ttl
  }

  /// How many sessions are held.
  public var count: Int { index.count }

  /// Whether a live session exists for `key` (expired ones do not count).
  public func contains(_ key: String, now: ContinuousClock.Instant) -> Bool {
    guard let i = index[key] else { return false }
    return now - nodes[i].lastUsed <= ttl
  }

  /// Runs `body` on the session `key`, creating it if absent or expired.
  ///
  /// The session becomes the most recently used; expired sessions are swept first.
  public mutating func withSession<R>(
    _ key: String, now: ContinuousClock.Instant, make: () -> Value, _ body: (inout Value) -> R
  ) -> R {
    withSession(key, now: now, make: make) { value, _ in body(&value) }
  }

  /// Runs `body` on the session `key`, creating it if absent or expired, and tells `body`
  /// whether it was just created.
  ///
  /// The service reports that on every reply (``SessionStatus``): a session created for a key
  /// that a client used before means the old one expired, was dropped or lived in a process
  /// that has restarted. The session becomes the most recently used; expired sessions are swept
  /// first.
  ///
  /// - Parameters:
  ///   - key: the session key.
  ///   - now: the current instant (expiry is measured from it).
  ///   - make: the value of a new session.
  ///   - body: what to do with the session; its second argument is true for a new session.
  /// - Returns: what `body` returns.
  public mutating func withSession<R>(
    _ key: String, now: ContinuousClock.Instant, make: () -> Value,
    _ body: (_ value: inout Value, _ isNew: Bool) -> R
  ) -> R {
    evictExpired(now: now)
    let i: Int
    let isNew: Bool
    if let existing = index[key] {
      i = existing
      isNew = false
      unlink(i)
    } else {
      isNew = true
      if index.count >= capacity, oldest >= 0 {
        evictions += 1
        remove(at: oldest)
      }
      let node = Node(key: key, value: make(), lastUsed: now, newer: -1, older: -1)
      if let slot = free.popLast() {
        nodes[slot] = node
        i = slot
      } else {
        nodes.append(node)
        i = nodes.count - 1
      }
      index[key] = i
    }
    nodes[i].lastUsed = now
    pushNewest(i)
    return body(&nodes[i].value, isNew)
  }

  /// The live session `key`, if any, without creating one or changing the recency order.
  public mutating func existing(_ key: String, now: ContinuousClock.Instant) -> Value? {
    evictExpired(now: now)
    return index[key].map { nodes[$0].value }
  }

  /// Stores `value` as the session `key` (created or replaced), the most recently used.
  public mutating func set(_ key: String, to value: Value, now: ContinuousClock.Instant) {
    withSession(key, now: now, make: { value }) { $0 = value }
  }

  /// Forgets a session; returns whether it existed.
  @discardableResult
  public mutating func remove(_ key: String) -> Bool {
    guard let i = index[key] else { return false }
    remove(at: i)
    return true
  }

  /// Drops every session idle for longer than the TTL.
  public mutating func evictExpired(now: ContinuousClock.Instant) {
    while oldest >= 0, now - nodes[oldest].lastUsed > ttl {
      evictions += 1
      remove(at: oldest)
    }
  }

  private mutating func remove(at i: Int) {
    unlink(i)
    index[nodes[i].key] = nil
    nodes[i].key = ""
    free.append(i)
  }

  private mutating func unlink(_ i: Int) {
    let newer = nodes[i].newer
    let older = nodes[i].older
    if newer >= 0 { nodes[newer].older = older } else if newest == i { newest = older }
    if older >= 0 { nodes[older].newer = newer } else if oldest == i { oldest = newer }
    nodes[i].newer = -1
    nodes[i].older = -1
  }

  private mutating func pushNewest(_ i: Int) {
    nodes[i].older = newest
    nodes[i].newer = -1
    if newest >= 0 { nodes[newest].newer = i }
    newest = i
    if oldest < 0 { oldest = i }
  }
}
