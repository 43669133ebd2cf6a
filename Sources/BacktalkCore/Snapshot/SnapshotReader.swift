/// Reads what ``SnapshotWriter`` wrote, checking every length against the bytes left.
///
/// A damaged or truncated cache file throws ``SnapshotError`` instead of crashing, and the
/// caller rebuilds from the knowledge base.
public struct SnapshotReader: Sendable {
  private let buffer: SnapshotBuffer
  private var bytes: UnsafeRawBufferPointer { buffer.bytes }
  private var offset = 0

  /// Reads from a copy of `bytes`.
  public init(_ bytes: [UInt8]) { buffer = SnapshotBuffer(copying: bytes) }

  /// Reads from `buffer` in place.
  public init(_ buffer: SnapshotBuffer) { self.buffer = buffer }

  /// Whether every byte has been read.
  public var isAtEnd: Bool { offset == bytes.count }

  /// Where the next read starts.
  var position: Int { offset }

  /// A reader of the same bytes starting at `position`, which must lie ahead of this one's.
  func reading(from position: Int) throws(SnapshotError) -> SnapshotReader {
    guard (offset...bytes.count).contains(position) else {
      throw .corrupt("a section at \(position)")
    }
    var other = self
    other.offset = position
    return other
  }

  private mutating func take(_ count: Int) throws(SnapshotError) -> Range<Int> {
    guard count >= 0, count <= bytes.count - offset else { throw .truncated(at: offset) }
    defer { offset += count }
    return offset..<(offset + count)
  }

  /// Reads an integer.
  public mutating func int() throws(SnapshotError) -> Int {
    let range = try take(8)
    let value = bytes.loadUnaligned(fromByteOffset: range.lowerBound, as: Int64.self)
    return Int(Int64(littleEndian: value))
  }

  /// Reads a count, refusing one larger than the bytes left could hold.
  public mutating func count() throws(SnapshotError) -> Int {
    let n = try int()
    guard n >= 0, n <= bytes.count - offset else { throw .corrupt("a count of \(n) at \(offset)") }
    return n
  }

  /// Reads a boolean.
  public mutating func bool() throws(SnapshotError) -> Bool {
    let range = try take(1)
    return bytes[range.lowerBound] != 0
  }

  /// Reads a double.
  public mutating func double() throws(SnapshotError) -> Double {
    Double(bitPattern: UInt64(bitPattern: Int64(try int())))
  }

  /// Reads a string.
  public mutating func string() throws(SnapshotError) -> String {
    let range = try take(try count())
    return String(decoding: UnsafeRawBufferPointer(rebasing: bytes[range]), as: UTF8.self)
  }

  /// Reads an array of plain values written by ``SnapshotWriter/raw(_:)``.
  public mutating func raw<T: BitwiseCopyable>(_ type: T.Type = T.self) throws(SnapshotError)
    -> [T]
  {
    let n = try int()
    let size = MemoryLayout<T>.stride
    guard n >= 0, n <= (bytes.count - offset) / max(size, 1) else {
      throw .corrupt("an array of \(n) at \(offset)")
    }
    let range = try take(n * size)
    // An empty array is the runtime's shared empty storage: initialising it "in place" writes
    // its header, a write the thread sanitizer rightly reports when another thread reads it.
    guard n > 0 else { return [] }
    return [T](unsafeUninitializedCapacity: n) { buffer, initialized in
      UnsafeMutableRawBufferPointer(buffer).copyMemory(
        from: UnsafeRawBufferPointer(rebasing: bytes[range]))
      initialized = n
    }
  }

  /// Reads an array written by ``SnapshotWriter/aligned(_:)`` in place, without copying it.
  mutating func view<T: BitwiseCopyable>(_ type: T.Type = T.self) throws(SnapshotError)
    -> SnapshotView<T>
  {
    let n = try int()
    let padding = try int()
    guard (0..<16).contains(padding) else { throw .corrupt("alignment padding \(padding)") }
    _ = try take(padding)
    let size = MemoryLayout<T>.stride
    guard n >= 0, n <= (bytes.count - offset) / max(size, 1) else {
      throw .corrupt("an array of \(n) at \(offset)")
    }
    let start = offset
    guard
      (Int(bitPattern: bytes.baseAddress) + start) % MemoryLayout<T>.alignment == 0
    else { throw .corrupt("a misaligned array at \(start)") }
    _ = try take(n * size)
    return SnapshotView(buffer: buffer, offset: start, count: n)
  }

  /// Reads an array of strings.
  public mutating func strings() throws(SnapshotError) -> [String] {
    let n = try count()
    var values: [String] = []
    values.reserveCapacity(n)
    for _ in 0..<n { values.append(try string()) }
    return values
  }

  /// Reads a map written by ``SnapshotWriter/stringMap(_:)``.
  public mutating func stringMap() throws(SnapshotError) -> [String: String] {
    let keys = try strings()
    let values = try strings()
    guard keys.count == values.count else { throw .corrupt("a map with unpaired keys") }
    return Dictionary(zip(keys, values), uniquingKeysWith: { _, last in last })
  }

  /// Reads an array with a reader for each element.
  public mutating func array<T>(_ read: (inout SnapshotReader) throws(SnapshotError) -> T)
    throws(SnapshotError) -> [T]
  {
    let n = try count()
    var values: [T] = []
    values.reserveCapacity(n)
    for _ in 0..<n { values.append(try read(&self)) }
    return values
  }

  /// Reads an optional string.
  public mutating func optionalString() throws(SnapshotError) -> String? {
    try bool() ? try string() : nil
  }

  /// Reads a map written by ``SnapshotWriter/stringListMap(_:)``.
  public mutating func stringListMap() throws(SnapshotError) -> [String: [String]] {
    var map: [String: [String]] = [:]
    for key in try strings() { map[key] = try strings() }
    return map
  }

  /// Reads a map written by ``SnapshotWriter/intMap(_:)``.
  public mutating func intMap() throws(SnapshotError) -> [String: Int] {
    let keys = try strings()
    let values = try raw(Int.self)
    guard keys.count == values.count else { throw .corrupt("a map with unpaired keys") }
    return Dictionary(zip(keys, values), uniquingKeysWith: { _, last in last })
  }
}
