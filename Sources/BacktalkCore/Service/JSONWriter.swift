/// Writes one compact JSON object per line, escaping what line-oriented readers trip on.
///
/// Hand-written rather than `JSONEncoder` for two reasons: U+2028 and U+2029 must be escaped
/// (JavaScript and some Python line readers split on them, and `JSONEncoder` leaves them raw),
/// and field order is fixed so replies are stable and readable in logs.
public struct JSONWriter {
  /// The UTF-8 written so far (bytes, because appending to a String costs more per call).
  public private(set) var bytes: [UInt8] = []
  private var needsComma: [Bool] = [false]

  /// The text written so far.
  public var text: String { String(decoding: bytes, as: UTF8.self) }

  /// Starts an empty writer.
  public init() {
    bytes.reserveCapacity(1024)
    needsComma.reserveCapacity(8)
  }

  /// Opens an object (at top level or as the value of the last key).
  public mutating func beginObject() {
    separator()
    bytes.append(0x7B)
    needsComma.append(false)
  }

  /// Closes the innermost object.
  public mutating func endObject() {
    bytes.append(0x7D)
    needsComma.removeLast()
  }

  /// Opens an array.
  public mutating func beginArray() {
    separator()
    bytes.append(0x5B)
    needsComma.append(false)
  }

  /// Closes the innermost array.
  public mutating func endArray() {
    bytes.append(0x5D)
    needsComma.removeLast()
  }

  /// Writes a key; the next value written is its value.
  public mutating func key(_ name: String) {
    separator()
    Self.appendString(name, to: &bytes)
    bytes.append(0x3A)
    needsComma[needsComma.count - 1] = false
    pendingValue = true
  }

  private var pendingValue = false

  private mutating func separator() {
    if pendingValue {
      pendingValue = false
      needsComma[needsComma.count - 1] = true
      return
    }
    if needsComma[needsComma.count - 1] { bytes.append(0x2C) }
    needsComma[needsComma.count - 1] = true
  }

  /// Writes a string value.
  public mutating func string(_ value: String) {
    separator()
    Self.appendString(value, to: &bytes)
  }

  /// Writes a string or null.
  public mutating func optionalString(_ value: String?) {
    if let value { string(value) } else { null() }
  }

  /// Writes a raw, already valid JSON token (a number as received, `true`...).
  public mutating func raw(_ token: String) {
    separator()
    bytes.append(contentsOf: token.utf8)
  }

  /// Writes null.
  public mutating func null() { raw("null") }

  /// Writes a boolean.
  public mutating func bool(_ value: Bool) { raw(value ? "true" : "false") }

  /// Writes an integer.
  public mutating func int(_ value: Int) { raw(String(value)) }

  /// Writes a number rounded to 3 decimals (scores and confidences).
  public mutating func decimal(_ value: Double) {
    let clamped = value.isFinite ? min(max(value, -1e12), 1e12) : 0
    let scaled = Int((clamped * 1000).rounded())
    let sign = scaled < 0 ? "-" : ""
    let magnitude = abs(scaled)
    let fraction = magnitude % 1000
    var digits = String(fraction)
    while digits.count < 3 { digits = "0" + digits }
    while digits.hasSuffix("0") { digits.removeLast() }
    raw(sign + String(magnitude / 1000) + (digits.isEmpty ? "" : "." + digits))
  }

  /// Writes a JSON value received from a client (ids are echoed this way).
  public mutating func value(_ value: JSONValue) {
    switch value {
    case .null: null()
    case .bool(let b): bool(b)
    case .number(let n): raw(n)
    case .string(let s): string(s)
    case .array(let items):
      beginArray()
      for item in items { self.value(item) }
      endArray()
    case .object(let members):
      beginObject()
      for (k, v) in members {
        key(k)
        self.value(v)
      }
      endObject()
    }
  }

  static let hex: [UInt8] = Array("0123456789abcdef".utf8)

  /// Appends `value` as a quoted JSON string.
  ///
  /// Replies are mostly plain text: eight bytes at a time are checked for anything that needs
  /// escaping and copied as runs; only flagged bytes are looked at one by one.
  static func appendString(_ value: String, to out: inout [UInt8]) {
    var value = value
    value.withUTF8 { utf8 in
      out.append(0x22)
      appendEscaped(utf8, to: &out)
      out.append(0x22)
    }
  }

  /// Whether any byte of `word` is a control byte, `"`, `\`, DEL or 0xE2 (the lead byte of
  /// U+2028 and U+2029), with the usual bit tricks (exact as a yes/no answer).
  @inline(__always)
  private static func mayNeedEscape(_ word: UInt64) -> Bool {
    let ones: UInt64 = 0x0101_0101_0101_0101
    let highs: UInt64 = 0x8080_8080_8080_8080
    @inline(__always) func hasZero(_ x: UInt64) -> Bool { (x &- ones) & ~x & highs != 0 }
    let control = (word &- ones &* 0x20) & ~word & highs != 0
    return control || hasZero(word ^ (ones &* 0x22)) || hasZero(word ^ (ones &* 0x5C))
      || hasZero(word ^ (ones &* 0x7F)) || hasZero(word ^ (ones &* 0xE2))
  }

  private static func appendEscaped(_ utf8: UnsafeBufferPointer<UInt8>, to bytes: inout [UInt8]) {
    guard let base = UnsafeRawPointer(utf8.baseAddress) else { return }
    let count = utf8.count
    var i = 0
    var run = 0
    func flush() {
      if run < i { bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[run..<i])) }
    }
    func unicodeEscape(_ v: Int) {
      bytes.append(0x5C)
      bytes.append(0x75)
      for shift in [12, 8, 4, 0] { bytes.append(hex[(v >> shift) & 0xF]) }
    }
    while i < count {
      if i + 8 <= count && !mayNeedEscape(base.loadUnaligned(fromByteOffset: i, as: UInt64.self)) {
        i += 8
        continue
      }
      let b = utf8[i]
      var width = 1
      switch b {
      case 0x22, 0x5C, 0x0A, 0x0D, 0x09:
        flush()
        bytes.append(0x5C)
        bytes.append(b == 0x0A ? 0x6E : b == 0x0D ? 0x72 : b == 0x09 ? 0x74 : b)
      case 0..<0x20, 0x7F:
        flush()
        unicodeEscape(Int(b))
      case 0xE2
      where i + 2 < count && utf8[i + 1] == 0x80 && (utf8[i + 2] == 0xA8 || utf8[i + 2] == 0xA9):
        // U+2028 and U+2029, which JavaScript and some line readers treat as line ends.
        flush()
        unicodeEscape(utf8[i + 2] == 0xA8 ? 0x2028 : 0x2029)
        width = 3
      default:
        i += 1
        continue
      }
      i += width
      run = i
    }
    flush()
  }
}
