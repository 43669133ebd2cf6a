import FlyingFox
import Foundation

/// Turns WebSocket frames into whole messages, the web's equivalent of ``LineFramer``.
///
/// A message may arrive in several frames (a first text or binary frame, then continuations).
/// The assembler keeps at most `limit` bytes of one: past that it drops the rest of the message
/// as it arrives and reports ``Event/tooLong`` once the message ends, so the socket answers it
/// with the same `line_too_long` error as `serve` and reads on. Control frames are passed up so
/// the socket can answer pings and close handshakes.
struct MessageAssembler: Sendable {
  /// What a frame completed, if anything.
  enum Event: Equatable, Sendable {
    /// A whole message (text or binary; its bytes are checked as a line would be).
    case message([UInt8])
    /// A message longer than the limit ended; its bytes were dropped.
    case tooLong
    /// A ping, to be answered with a pong carrying the same payload.
    case ping(Data)
    /// The peer's close frame (its payload: status code and reason).
    case close(Data)
    /// Frames that break RFC 6455 (a continuation with nothing to continue, a new message
    /// before the last one ended, an unknown opcode): the connection is closed.
    case violation(String)
  }

  /// The most bytes one message may hold.
  let limit: Int
  private var partial: [UInt8] = []
  private var isAssembling = false
  private var isOverflowing = false

  /// Creates an assembler for messages of at most `limit` bytes.
  init(limit: Int) { self.limit = limit }

  /// Takes one frame; returns what it completed, or nil when a message is still open (or the
  /// frame was a pong).
  mutating func receive(_ frame: WSFrame) -> Event? {
    switch frame.opcode {
    case .ping: return .ping(frame.payload)
    case .pong: return nil
    case .close: return .close(frame.payload)
    case .text, .binary:
      guard !isAssembling else { return .violation("a new message began before the last ended") }
      isAssembling = true
      isOverflowing = false
      partial.removeAll(keepingCapacity: true)
      return append(frame)
    case .continuation:
      guard isAssembling else { return .violation("a continuation frame with no message open") }
      return append(frame)
    default:
      return .violation("unknown opcode \(frame.opcode.rawValue)")
    }
  }

  private mutating func append(_ frame: WSFrame) -> Event? {
    if !isOverflowing {
      if partial.count + frame.payload.count > limit {
        isOverflowing = true
        partial = []
      } else {
        partial.append(contentsOf: frame.payload)
      }
    }
    guard frame.fin else { return nil }
    isAssembling = false
    if isOverflowing { return .tooLong }
    let message = partial
    partial = []
    return .message(message)
  }
}
