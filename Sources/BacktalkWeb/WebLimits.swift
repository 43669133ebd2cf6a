import BacktalkCore

/// The limits of `backtalk web`, on top of the protocol's own (``JSONLinesService/Limits``).
public struct WebLimits: Sendable {
  /// The protocol's limits: a message is a line, so it may hold at most `lineBytes`.
  public var service = JSONLinesService.Limits()
  /// The most chat connections open at once.
  public var connections = 256
  /// Messages one connection may send at once after a pause.
  public var burst = 30
  /// Messages one connection may send per second, sustained.
  public var messagesPerSecond = 10.0
  /// Messages refused in a row (over the rate) before the connection is closed: a person who
  /// pastes too fast gets `rate_limited` errors, a flood loses its connection.
  public var refusalsBeforeClose = 50
  /// How long a connection may stay silent before it is closed (1001), so idle tabs do not
  /// hold places under `connections` forever; the page reconnects when it is used again.
  public var idleTimeout: Duration = .seconds(30 * 60)

  /// The defaults.
  public init() {}
}
