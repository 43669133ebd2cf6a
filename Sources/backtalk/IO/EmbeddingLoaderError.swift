import BacktalkCore

/// Why the static embedding table could not be loaded.
enum EmbeddingLoaderError: Error, Equatable, CustomStringConvertible {
  /// No table in any of the places searched.
  case notFound(searched: [String])
  /// The file exists but could not be opened or mapped (or is empty).
  case unreadable(path: String)
  /// The file is not a whole, undamaged table.
  case damaged(path: String, EmbeddingTableError)

  /// One line saying what is wrong and what to do.
  var description: String {
    switch self {
    case .notFound(let searched):
      return
        "cannot find the embedding table \(EmbeddingLoader.fileName) (looked in \(searched.joined(separator: ", "))); set BACKTALK_EMBEDDINGS to its path or rebuild it with tools/embeddings/build.sh"
    case .unreadable(let path):
      return "cannot read the embedding table \(path)"
    case .damaged(let path, let problem):
      return "\(path): \(problem)"
    }
  }
}
