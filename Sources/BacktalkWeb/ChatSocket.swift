import BacktalkCore
import FlyingFox
import Foundation
import Synchronization

/// One chat connection: each WebSocket message is one line of the `serve` protocol, answered
/// by one message, in order.
///
/// Everything `serve` does to a bad line happens to a bad message (the same ``RequestReader``
/// writes the same error replies) and the connection reads on. On top of that, each connection
/// has a ``RateLimiter`` (messages over the rate get `rate_limited`; a flood is closed with
/// 1008) and a place in the ``ConnectionGate`` (over the cap, it is closed with 1013 at once).
struct ChatSocket: WSHandler {
  let service: ChatService
  let limits: WebLimits
  let gate: ConnectionGate

  func makeFrames(
    for client: AsyncThrowingStream<WSFrame, any Error>
  ) async throws -> AsyncStream<WSFrame> {
    let (frames, output) = AsyncStream<WSFrame>.makeStream()
    guard gate.enter() else {
      output.yield(.close(code: WSCloseCode(1013, reason: "too many connections; try again")))
      output.finish()
      return frames
    }
    let activity = ActivityClock()
    let task = Task {
      defer { gate.leave() }
      await converse(client, output, activity)
      output.finish()
    }
    let watchdog = Task {
      await closeWhenIdle(output, activity)
    }
    output.onTermination = { _ in
      task.cancel()
      watchdog.cancel()
    }
    return frames
  }

  /// Closes the connection (1001) once it has been silent for the idle timeout; ending the
  /// output stream ends FlyingFox's connection, which ends the frames `converse` reads.
  private func closeWhenIdle(
    _ output: AsyncStream<WSFrame>.Continuation, _ activity: ActivityClock
  ) async {
    let period = min(Duration.seconds(30), limits.idleTimeout / 2)
    while !Task.isCancelled {
      try? await Task.sleep(for: period)
      if activity.silence >= limits.idleTimeout {
        output.yield(.close(code: WSCloseCode(1001, reason: "idle")))
        output.finish()
        return
      }
    }
  }

  /// Reads frames until the peer closes, breaks the protocol or floods; answers every message.
  private func converse(
    _ client: AsyncThrowingStream<WSFrame, any Error>, _ output: AsyncStream<WSFrame>.Continuation,
    _ activity: ActivityClock
  ) async {
    var assembler = MessageAssembler(limit: limits.service.lineBytes)
    var limiter = RateLimiter(burst: limits.burst, perSecond: limits.messagesPerSecond)
    var refusals = 0
    let reader = service.reader
    do {
      var frames = client.makeAsyncIterator()
      while let frame = try await frames.next() {
        activity.touch()
        guard let event = assembler.receive(frame) else { continue }
        let request: LineFramer.Frame
        switch event {
        case .ping(let payload):
          output.yield(WSFrame(fin: true, opcode: .pong, mask: nil, payload: payload))
          continue
        case .close(let payload):
          // Echo the peer's status code, as RFC 6455 asks, and stop.
          output.yield(WSFrame(fin: true, opcode: .close, mask: nil, payload: payload.prefix(2)))
          return
        case .violation(let reason):
          return await closing(WSCloseCode(1002, reason: reason), &frames, output)
        case .message(let bytes): request = .line(bytes)
        case .tooLong: request = .tooLong
        }
        switch admit(&limiter, &refusals) {
        case .answer: break
        case .refuse:
          output.yield(text(refusal(id: Self.id(of: request))))
          continue
        case .close:
          return await closing(WSCloseCode(1008, reason: "too many messages"), &frames, output)
        }
        let line = reader.parse(request, rankingIntents: true)
        if let reply = await service.answer(line) {
          output.yield(text(reply))
        }
      }
    } catch {
      // The peer vanished or sent bytes that are not WebSocket frames: nothing to answer.
    }
  }

  /// Sends a close frame, then reads and drops what the peer still sends until its own close
  /// frame comes back, for at most two seconds.
  ///
  /// Closing the socket at once would leave the peer's unread frames in the kernel's buffer,
  /// and Linux answers that with a reset, which makes the peer lose the replies (and the close
  /// frame) it had not read yet. RFC 6455 asks for this handshake anyway.
  private func closing(
    _ code: WSCloseCode, _ frames: inout AsyncThrowingStream<WSFrame, any Error>.Iterator,
    _ output: AsyncStream<WSFrame>.Continuation
  ) async {
    output.yield(.close(code: code))
    let deadline = Task {
      try? await Task.sleep(for: .seconds(2))
      output.finish()
    }
    defer { deadline.cancel() }
    do {
      while let frame = try await frames.next(), frame.opcode != .close {}
    } catch {
      // The peer went away: nothing left to wait for.
    }
  }

  /// What the rate says about one message.
  private enum Admission {
    /// Within the rate: read and answer it.
    case answer
    /// Over the rate: answer `rate_limited` without reading it.
    case refuse
    /// Over the rate for too long: close the connection.
    case close
  }

  /// Applies the rate to one message; `refusals` counts the messages refused in a row.
  private func admit(_ limiter: inout RateLimiter, _ refusals: inout Int) -> Admission {
    if limiter.admit(now: .now) {
      refusals = 0
      return .answer
    }
    refusals += 1
    return refusals > limits.refusalsBeforeClose ? .close : .refuse
  }

  /// The `rate_limited` error reply.
  private func refusal(id: BacktalkCore.JSONValue) -> [UInt8] {
    RequestReader.errorLine(
      id: id,
      ServiceError(
        .rateLimited,
        "more than \(limits.burst) messages at once or \(Int(limits.messagesPerSecond)) a second; wait a moment and send it again"
      ))
  }

  /// The id of a refused message, so the client can tell which one it was (a small message is
  /// parsed for it; anything else gets null).
  private static func id(of request: LineFramer.Frame) -> BacktalkCore.JSONValue {
    guard case .line(let bytes) = request, bytes.count <= 4096,
      let value = try? JSONParser.parse(bytes)
    else { return .null }
    switch value["id"] {
    case .string?, .number?: return value["id"] ?? .null
    default: return .null
    }
  }

  private func text(_ bytes: [UInt8]) -> WSFrame {
    WSFrame(fin: true, opcode: .text, mask: nil, payload: Data(bytes))
  }
}

/// When a connection last received a frame, shared by its reader and its idle watchdog.
///
/// A `final class` around a `Mutex` because two tasks of one connection use it; the lock is
/// held only to read or write one instant.
final class ActivityClock: Sendable {
  private let last = Mutex(ContinuousClock.now)

  /// Notes a frame received now.
  func touch() { last.withLock { $0 = .now } }

  /// How long since the last frame.
  var silence: Duration { last.withLock { $0 }.duration(to: .now) }
}
