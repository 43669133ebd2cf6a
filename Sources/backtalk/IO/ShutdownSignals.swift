import Foundation

#if canImport(Glibc)
  import Glibc
#endif

/// SIGTERM, SIGINT and SIGHUP turned into a descriptor that `poll(2)` can wait on beside stdin,
/// so `serve` stops reading on a signal but answers every line it has already read.
///
/// The default action of these signals kills the process mid-chunk: replies to lines already
/// read were lost, and a front end restarting the service (a deploy, a container stop) saw
/// requests vanish. Here the three signals are blocked in every thread and one thread waits
/// for them with `sigwait`, then writes the signal's number to a pipe. Nothing runs in a
/// signal handler, so there is nothing async-signal-unsafe to get wrong and no global state.
///
/// Blocked signals are inherited by threads created afterwards, so ``start()`` must run before
/// any other thread exists (first thing in `serve`, before the knowledge base is loaded on two
/// threads); a signal sent to a thread that did not block it would still kill the process.
final class ShutdownSignals: Sendable {
  /// The signals that ask `serve` to stop.
  static let watched: [Int32] = [SIGTERM, SIGINT, SIGHUP]

  /// The read end of the pipe: readable once a signal has arrived.
  let descriptor: Int32

  private init(descriptor: Int32) { self.descriptor = descriptor }

  /// Blocks the signals in this thread (and so in every thread started later) and starts the
  /// thread that waits for them; nil if the pipe cannot be made (the signals then keep their
  /// default action).
  static func start() -> ShutdownSignals? {
    var mask = sigset_t()
    sigemptyset(&mask)
    // A signal the process started with ignored stays ignored: `nohup backtalk serve` means
    // "survive the terminal hanging up", and a blocked signal would otherwise be delivered.
    for signal in watched where !isIgnored(signal) { sigaddset(&mask, signal) }
    var ends: [Int32] = [-1, -1]
    guard pipe(&ends) == 0 else { return nil }
    for end in ends { _ = fcntl(end, F_SETFD, FD_CLOEXEC) }
    guard pthread_sigmask(SIG_BLOCK, &mask, nil) == 0 else {
      close(ends[0])
      close(ends[1])
      return nil
    }
    let writeEnd = ends[1]
    let waited = mask
    Thread.detachNewThread {
      var mask = waited
      var received: Int32 = 0
      while sigwait(&mask, &received) != 0 {}
      var byte = UInt8(truncatingIfNeeded: received)
      while write(writeEnd, &byte, 1) < 0 && errno == EINTR {}
    }
    return ShutdownSignals(descriptor: ends[0])
  }

  /// Whether `signal`'s disposition is SIG_IGN (inherited from the parent).
  private static func isIgnored(_ signal: Int32) -> Bool {
    var current = sigaction()
    guard sigaction(signal, nil, &current) == 0 else { return false }
    return unsafeBitCast(current.__sigaction_handler.sa_handler, to: Int.self)
      == unsafeBitCast(SIG_IGN, to: Int.self)
  }

  /// The name of the signal that arrived (after ``descriptor`` became readable).
  func receivedName() -> String {
    var byte: UInt8 = 0
    guard read(descriptor, &byte, 1) == 1 else { return "a signal" }
    switch Int32(byte) {
    case SIGTERM: return "SIGTERM"
    case SIGINT: return "SIGINT"
    case SIGHUP: return "SIGHUP"
    default: return "signal \(byte)"
    }
  }
}
