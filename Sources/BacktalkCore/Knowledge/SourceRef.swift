/// A pointer from a piece of advice back to the seed article it was drawn from.
///
/// Every medical sentence backtalk says must be traceable: `document` is a seed file name and
/// `section` a heading or FAQ question that appears as a whole line in that file, so a reader (or
/// `backtalk validate`) can check the advice against its source.
public struct SourceRef: Codable, Hashable, Sendable {
  /// The seed file name, for example `004_9114f1cecb1cd55b.txt`.
  public var document: String
  /// A heading or FAQ question of that file, copied exactly.
  public var section: String

  /// Creates a reference to one section of one seed document.
  public init(document: String, section: String) {
    self.document = document
    self.section = section
  }
}
