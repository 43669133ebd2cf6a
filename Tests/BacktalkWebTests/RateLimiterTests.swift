import Testing

@testable import BacktalkWeb

@Suite struct RateLimiterTests {
  let start = ContinuousClock.Instant.now

  /// What the limiter says to a message at each offset from `start`, in order.
  func answers(_ limiter: inout RateLimiter, _ offsets: [Duration]) -> [Bool] {
    offsets.map { limiter.admit(now: start + $0) }
  }

  @Test func aBurstIsAdmittedThenRefused() {
    var limiter = RateLimiter(burst: 3, perSecond: 1)
    #expect(
      answers(&limiter, Array(repeating: .zero, count: 5)) == [true, true, true, false, false])
  }

  @Test func tokensComeBackWithTime() {
    var limiter = RateLimiter(burst: 2, perSecond: 10)
    let early = answers(&limiter, [.zero, .zero, .zero, .milliseconds(50), .milliseconds(160)])
    #expect(early == [true, true, false, false, true])
    // A long pause refills only up to the burst.
    let later = answers(&limiter, [.seconds(60), .seconds(60), .seconds(60)])
    #expect(later == [true, true, false])
  }

  @Test func aClockGoingBackwardsGivesNoTokens() {
    var limiter = RateLimiter(burst: 1, perSecond: 1)
    #expect(answers(&limiter, [.seconds(5), .zero]) == [true, false])
  }
}
