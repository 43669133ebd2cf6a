/// A strict RFC 8259 parser over UTF-8 bytes with a nesting limit.
///
/// Strict on purpose: a front end that sends malformed JSON should hear so (`invalid_json`
/// with the byte offset), not get a guess.
public struct JSONParser {
  /// How deep arrays and objects may nest before the line is refused (`too_deep`).
  public static let maxDepth = 32

  /// Why a line is not acceptable JSON.
  public enum Failure: Error, Equatable {
    /// Malformed JSON at a byte offset.
    case syntax(String, offset: Int)
    /// Nested deeper than ``JSONParser/maxDepth``.
    case tooDeep
  }

  private let bytes: [UInt8]
  private var i = 0
  private var depth = 0

  private init(_ bytes: [UInt8]) { self.bytes = bytes }

  /// Parses one complete JSON text.
  public static func parse(_ bytes: [UInt8]) throws(Failure) -> JSONValue {
    var parser = JSONParser(bytes)
    parser.skipSpace()
    let value = try parser.value()
    parser.skipSpace()
    guard parser.i == bytes.count else { throw parser.fail("unexpected data after the JSON value") }
    return value
  }

  private func fail(_ message: String) -> Failure { .syntax(message, offset: i) }

  private mutating func skipSpace() {
    while i < bytes.count,
      bytes[i] == 0x20 || bytes[i] == 0x09 || bytes[i] == 0x0A || bytes[i] == 0x0D
    {
      i += 1
    }
  }

  private mutating func value() throws(Failure) -> JSONValue {
    guard i < bytes.count else { throw fail("unexpected end of input") }
    switch bytes[i] {
    case UInt8(ascii: "{"): return try object()
    case UInt8(ascii: "["): return try array()
    case UInt8(ascii: "\""): return .string(try string())
    case UInt8(ascii: "t"): try literal("true"); return .bool(true)
    case UInt8(ascii: "f"): try literal("false"); return .bool(false)
    case UInt8(ascii: "n"): try literal("null"); return .null
    case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return .number(try number())
    default: throw fail("unexpected character")
    }
  }

  private mutating func literal(_ word: StaticString) throws(Failure) {
    let count = word.utf8CodeUnitCount
    guard i + count <= bytes.count else { throw fail("unexpected end of input") }
    let expected = UnsafeBufferPointer(start: word.utf8Start, count: count)
    for k in 0..<count where bytes[i + k] != expected[k] { throw fail("invalid literal") }
    i += count
  }

  private mutating func number() throws(Failure) -> String {
    let start = i
    if bytes[i] == UInt8(ascii: "-") { i += 1 }
    func digits(_ p: inout JSONParser) -> Int {
      let s = p.i
      while p.i < p.bytes.count, p.bytes[p.i] >= 0x30, p.bytes[p.i] <= 0x39 { p.i += 1 }
      return p.i - s
    }
    guard i < bytes.count else { throw fail("invalid number") }
    if bytes[i] == UInt8(ascii: "0") {
      i += 1
    } else if digits(&self) == 0 {
      throw fail("invalid number")
    }
    if i < bytes.count, bytes[i] == UInt8(ascii: ".") {
      i += 1
      if digits(&self) == 0 { throw fail("invalid number") }
    }
    if i < bytes.count, bytes[i] == UInt8(ascii: "e") || bytes[i] == UInt8(ascii: "E") {
      i += 1
      if i < bytes.count, bytes[i] == UInt8(ascii: "+") || bytes[i] == UInt8(ascii: "-") { i += 1 }
      if digits(&self) == 0 { throw fail("invalid number") }
    }
    return String(decoding: bytes[start..<i], as: UTF8.self)
  }

  private mutating func string() throws(Failure) -> String {
    i += 1
    var out: [UInt8] = []
    var runStart = i
    while true {
      guard i < bytes.count else { throw fail("unterminated string") }
      let b = bytes[i]
      if b == UInt8(ascii: "\"") {
        out.append(contentsOf: bytes[runStart..<i])
        i += 1
        return String(decoding: out, as: UTF8.self)
      }
      if b < 0x20 { throw fail("control character in string (escape it)") }
      if b != UInt8(ascii: "\\") {
        i += 1
        continue
      }
      out.append(contentsOf: bytes[runStart..<i])
      i += 1
      guard i < bytes.count else { throw fail("unterminated escape") }
      let e = bytes[i]
      i += 1
      switch e {
      case UInt8(ascii: "\""): out.append(0x22)
      case UInt8(ascii: "\\"): out.append(0x5C)
      case UInt8(ascii: "/"): out.append(0x2F)
      case UInt8(ascii: "b"): out.append(0x08)
      case UInt8(ascii: "f"): out.append(0x0C)
      case UInt8(ascii: "n"): out.append(0x0A)
      case UInt8(ascii: "r"): out.append(0x0D)
      case UInt8(ascii: "t"): out.append(0x09)
      case UInt8(ascii: "u"):
        var scalar = try hex4()
        if (0xD800...0xDBFF).contains(scalar) {
          guard i + 1 < bytes.count, bytes[i] == UInt8(ascii: "\\"),
            bytes[i + 1] == UInt8(ascii: "u")
          else { throw fail("unpaired surrogate") }
          i += 2
          let low = try hex4()
          guard (0xDC00...0xDFFF).contains(low) else { throw fail("unpaired surrogate") }
          scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
        } else if (0xDC00...0xDFFF).contains(scalar) {
          throw fail("unpaired surrogate")
        }
        guard let u = Unicode.Scalar(scalar) else { throw fail("invalid escape") }
        out.append(contentsOf: Array(String(Character(u)).utf8))
      default:
        throw fail("invalid escape")
      }
      runStart = i
    }
  }

  private mutating func hex4() throws(Failure) -> UInt32 {
    guard i + 4 <= bytes.count else { throw fail("invalid \\u escape") }
    var v: UInt32 = 0
    for _ in 0..<4 {
      let c = bytes[i]
      let d: UInt32
      switch c {
      case 0x30...0x39: d = UInt32(c - 0x30)
      case 0x41...0x46: d = UInt32(c - 0x41 + 10)
      case 0x61...0x66: d = UInt32(c - 0x61 + 10)
      default: throw fail("invalid \\u escape")
      }
      v = v << 4 | d
      i += 1
    }
    return v
  }

  private mutating func array() throws(Failure) -> JSONValue {
    depth += 1
    guard depth <= Self.maxDepth else { throw .tooDeep }
    defer { depth -= 1 }
    i += 1
    var items: [JSONValue] = []
    skipSpace()
    if i < bytes.count, bytes[i] == UInt8(ascii: "]") {
      i += 1
      return .array(items)
    }
    while true {
      skipSpace()
      items.append(try value())
      skipSpace()
      guard i < bytes.count else { throw fail("unterminated array") }
      if bytes[i] == UInt8(ascii: ",") {
        i += 1
      } else if bytes[i] == UInt8(ascii: "]") {
        i += 1
        return .array(items)
      } else {
        throw fail("expected ',' or ']'")
      }
    }
  }

  private mutating func object() throws(Failure) -> JSONValue {
    depth += 1
    guard depth <= Self.maxDepth else { throw .tooDeep }
    defer { depth -= 1 }
    i += 1
    var members: [(String, JSONValue)] = []
    skipSpace()
    if i < bytes.count, bytes[i] == UInt8(ascii: "}") {
      i += 1
      return .object(members)
    }
    while true {
      skipSpace()
      guard i < bytes.count, bytes[i] == UInt8(ascii: "\"") else {
        throw fail("expected a string key")
      }
      let key = try string()
      skipSpace()
      guard i < bytes.count, bytes[i] == UInt8(ascii: ":") else { throw fail("expected ':'") }
      i += 1
      skipSpace()
      members.append((key, try value()))
      skipSpace()
      guard i < bytes.count else { throw fail("unterminated object") }
      if bytes[i] == UInt8(ascii: ",") {
        i += 1
      } else if bytes[i] == UInt8(ascii: "}") {
        i += 1
        return .object(members)
      } else {
        throw fail("expected ',' or '}'")
      }
    }
  }
}
