/// A token bucket: how many messages one connection may send, in a burst and per second.
///
/// A person types a message every few seconds; a script that floods the socket would otherwise
/// take the shared service's time from every other connection. The bucket holds `burst` tokens
/// and refills at `perSecond`; each message takes one. Time is a parameter, so tests pass
/// instants instead of sleeping.
public struct RateLimiter: Sendable {
  /// The most messages accepted at once after a quiet spell.
  public let burst: Double
  /// Messages accepted per second, sustained.
  public let perSecond: Double
  private var tokens: Double
  private var last: ContinuousClock.Instant?

  /// Creates a full bucket.
  ///
  /// - Parameters:
  ///   - burst: the bucket's size (at least 1).
  ///   - perSecond: the refill rate (at least a little above 0).
  public init(burst: Int, perSecond: Double) {
    self.burst = Double(max(1, burst))
    self.perSecond = max(0.001, perSecond)
    tokens = self.burst
  }

  /// Takes a token for a message arriving at `now`; false when the bucket is empty.
  public mutating func admit(now: ContinuousClock.Instant) -> Bool {
    if let last {
      let elapsed = last.duration(to: now)
      let seconds =
        Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18
      tokens = min(burst, tokens + max(0, seconds) * perSecond)
    }
    last = now
    guard tokens >= 1 else { return false }
    tokens -= 1
    return true
  }
}
