import Foundation

/// An exclusive advisory lock (flock(2)) on a file beside a cache.
///
/// While one process compiles the knowledge base, the others starting at the same moment wait
/// for its result instead of compiling it too. Released on `release()` or when the process
/// exits.
final class CacheLock {
  private let descriptor: Int32
  private var held = true

  /// Takes the lock, waiting for it; nil when the lock file cannot be created (then every
  /// process compiles for itself, as before: slower, still correct).
  init?(path: String) {
    try? FileManager.default.createDirectory(
      atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
    let fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
    guard fd >= 0 else { return nil }
    while flock(fd, LOCK_EX) != 0 {
      if errno != EINTR {
        close(fd)
        return nil
      }
    }
    descriptor = fd
  }

  /// Lets the next process in (once; later calls do nothing).
  func release() {
    guard held else { return }
    held = false
    flock(descriptor, LOCK_UN)
    close(descriptor)
  }
}
