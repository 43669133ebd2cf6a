/// How a table stores its rows (the header's quant kind).
public enum EmbeddingQuantization: UInt32, Sendable {
  /// Four-byte floats, used as they are.
  case float32 = 0
  /// Two-byte floats, widened when read.
  case float16 = 1
  /// One signed byte per value and one float32 scale per row: value = byte * scale.
  case int8 = 2

  /// The bytes one value takes in a row.
  var bytesPerValue: Int {
    switch self {
    case .float32: return 4
    case .float16: return 2
    case .int8: return 1
    }
  }
}
