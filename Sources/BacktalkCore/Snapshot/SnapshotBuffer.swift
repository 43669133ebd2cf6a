/// The bytes of a snapshot, kept where the caller put them (typically a memory-mapped file).
///
/// A class because it owns that memory: large tables (the regression weights, megabytes) are
/// read in place through it instead of being copied into fresh arrays, which on a cold start
/// costs a page fault per 4 KiB. The caller says how to release the memory (unmap the file);
/// the core itself does no IO.
public final class SnapshotBuffer: @unchecked Sendable {
  /// The bytes; never written to.
  public let bytes: UnsafeRawBufferPointer
  private let release: @Sendable () -> Void

  /// Wraps memory that stays valid and unchanged until `release` is called (at deinit).
  public init(bytes: UnsafeRawBufferPointer, release: @escaping @Sendable () -> Void) {
    self.bytes = bytes
    self.release = release
  }

  /// Copies `bytes` into memory this buffer owns.
  public convenience init(copying bytes: [UInt8]) {
    let memory = UnsafeMutableRawBufferPointer.allocate(
      byteCount: max(bytes.count, 1), alignment: 16)
    bytes.withUnsafeBytes { memory.copyMemory(from: $0) }
    // The address as an integer: the closure runs once, at deinit, when nothing else can use it.
    let address = UInt(bitPattern: memory.baseAddress)
    self.init(bytes: UnsafeRawBufferPointer(rebasing: memory[0..<bytes.count])) {
      UnsafeMutableRawPointer(bitPattern: address)?.deallocate()
    }
  }

  deinit { release() }
}

/// A typed array read in place from a ``SnapshotBuffer`` (see ``SnapshotReader/view(_:)``).
struct SnapshotView<Element: BitwiseCopyable>: Sendable {
  private let buffer: SnapshotBuffer
  private let offset: Int
  /// The number of elements.
  let count: Int

  /// A view of `count` elements at `offset`, which must be aligned for `Element` and in range
  /// (``SnapshotReader/view(_:)`` checks both).
  init(buffer: SnapshotBuffer, offset: Int, count: Int) {
    self.buffer = buffer
    self.offset = offset
    self.count = count
  }

  /// Calls `body` with the elements.
  func withUnsafeBufferPointer<R>(_ body: (UnsafeBufferPointer<Element>) -> R) -> R {
    let range = offset..<(offset + count * MemoryLayout<Element>.stride)
    return withExtendedLifetime(buffer) {
      body(
        UnsafeRawBufferPointer(rebasing: buffer.bytes[range]).assumingMemoryBound(to: Element.self))
    }
  }
}
