/// A pointer from a piece of advice back to the seed article it was drawn from.
///
/// Every medical sentence backtalk says must be traceable: `document` is a seed file name and
/// `section` a heading or FAQ question that appears as a whole line in that file, so a reader (or
/// `backtalk validate`) can check the advice against its source. `title` and `publisher` are
/// not written in the YAML: loading copies them from the document registry
/// (`Intents/documents.yaml`, ``SourceDocument``) so that people see the article's title.
public struct SourceRef: Codable, Hashable, Sendable {
  /// The seed file name, for example `004_9114f1cecb1cd55b.txt`.
  public var document: String
  /// A heading or FAQ question of that file, copied exactly.
  public var section: String
  /// The article's title, from the registry.
  public var title: String = ""
  /// The article's publisher, from the registry, when the article names one.
  public var publisher: String?

  private enum CodingKeys: String, CodingKey {
    case document, section
  }

  /// Creates a reference to one section of one seed document.
  public init(document: String, section: String, title: String = "", publisher: String? = nil) {
    self.document = document
    self.section = section
    self.title = title
    self.publisher = publisher
  }

  /// The title, or the file name for a reference loaded without a registry.
  public var displayTitle: String { title.isEmpty ? document : title }
}
