/// Writes a compiled model as compact little-endian bytes.
///
/// Front ends spawn the binary on demand, and building the matcher, the typo index and the
/// pattern sets from the knowledge base costs far more than the 20 ms a cold start may take.
/// The compiled values are therefore written once to a start-up cache in this format and read
/// back with bulk copies: numeric arrays as raw memory, strings as length-prefixed UTF-8.
public struct SnapshotWriter {
  /// The bytes written so far.
  public private(set) var bytes: [UInt8] = []

  /// Starts an empty snapshot.
  public init() { bytes.reserveCapacity(1 << 20) }

  /// Writes an integer (8 bytes).
  public mutating func int(_ value: Int) {
    withUnsafeBytes(of: Int64(value).littleEndian) { bytes.append(contentsOf: $0) }
  }

  /// Writes a placeholder integer and returns where it is, for ``patch(_:with:)``.
  mutating func placeholder() -> Int {
    defer { int(0) }
    return bytes.count
  }

  /// Writes `value` over the placeholder at `position`.
  mutating func patch(_ position: Int, with value: Int) {
    withUnsafeBytes(of: Int64(value).littleEndian) { raw in
      for (i, byte) in raw.enumerated() { bytes[position + i] = byte }
    }
  }

  /// Writes a boolean (1 byte).
  public mutating func bool(_ value: Bool) { bytes.append(value ? 1 : 0) }

  /// Writes a double (8 bytes).
  public mutating func double(_ value: Double) { int(Int(Int64(bitPattern: value.bitPattern))) }

  /// Writes a string as its UTF-8 length and bytes.
  public mutating func string(_ value: String) {
    int(value.utf8.count)
    bytes.append(contentsOf: value.utf8)
  }

  /// Writes an array of plain values as one block of memory.
  public mutating func raw<T: BitwiseCopyable>(_ values: [T]) {
    int(values.count)
    values.withUnsafeBytes { bytes.append(contentsOf: $0) }
  }

  /// Writes an array of plain values starting at a multiple of 16 bytes from the start, so
  /// that a reader can use it in place (``SnapshotReader/view(_:)``) when the snapshot itself
  /// is loaded at an aligned address (a mapped file is page-aligned).
  mutating func aligned<T: BitwiseCopyable>(_ values: [T]) {
    int(values.count)
    let padding = (16 - (bytes.count + 8) % 16) % 16
    int(padding)
    bytes.append(contentsOf: repeatElement(0, count: padding))
    values.withUnsafeBytes { bytes.append(contentsOf: $0) }
  }

  /// Writes an array of strings.
  public mutating func strings(_ values: [String]) {
    int(values.count)
    for value in values { string(value) }
  }

  /// Writes a string-to-string map in key order (so equal maps give equal bytes).
  public mutating func stringMap(_ map: [String: String]) {
    let keys = map.keys.sorted()
    strings(keys)
    strings(keys.map { map[$0] ?? "" })
  }

  /// Writes an array with a writer for each element.
  public mutating func array<T>(_ values: [T], _ write: (inout SnapshotWriter, T) -> Void) {
    int(values.count)
    for value in values { write(&self, value) }
  }

  /// Writes an optional string.
  public mutating func optionalString(_ value: String?) {
    bool(value != nil)
    if let value { string(value) }
  }

  /// Writes a map of string lists in key order.
  public mutating func stringListMap(_ map: [String: [String]]) {
    let keys = map.keys.sorted()
    strings(keys)
    for key in keys { strings(map[key] ?? []) }
  }

  /// Writes a map of integers in key order.
  public mutating func intMap(_ map: [String: Int]) {
    let keys = map.keys.sorted()
    strings(keys)
    raw(keys.map { map[$0] ?? 0 })
  }
}
