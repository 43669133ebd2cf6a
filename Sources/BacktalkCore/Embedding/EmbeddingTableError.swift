/// Why the bytes given to ``StaticEmbeddingTable`` are not a usable table.
///
/// Every header field, offset and lookup entry is checked once, when the table is opened, so
/// that lookups afterwards can trust them; a damaged or truncated file is reported here
/// instead of crashing a later `embed`.
public enum EmbeddingTableError: Error, Equatable, CustomStringConvertible {
  /// The file is shorter than its header says it must be.
  case truncated(size: Int, needed: Int)
  /// The file does not start with the table's magic bytes.
  case notAnEmbeddingTable
  /// The file is a table of a format version this build cannot read.
  case unsupportedVersion(UInt32)
  /// A header field, offset or lookup entry is impossible.
  case corrupt(String)

  /// A message saying what is wrong and how to get a good table back.
  public var description: String {
    let fix = "rebuild it with tools/embeddings/build.sh or reinstall backtalk"
    switch self {
    case .truncated(let size, let needed):
      return "the embedding table is truncated (\(size) bytes, needs \(needed)); \(fix)"
    case .notAnEmbeddingTable:
      return "the file is not a backtalk embedding table (bad magic bytes); \(fix)"
    case .unsupportedVersion(let version):
      return "the embedding table has format version \(version), this build reads 1; \(fix)"
    case .corrupt(let what):
      return "the embedding table is damaged (\(what)); \(fix)"
    }
  }
}
