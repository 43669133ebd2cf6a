extension Assistant {
  /// The same assistant with another region's emergency numbers.
  ///
  /// Nothing is compiled again: the region only changes what escalations and answers say, so
  /// the new assistant shares this one's compiled parts and sentence-embedding table.
  ///
  /// - Parameter code: a region code of `regions.yaml` (`us`, `uk`, `eu`, `au`).
  /// - Returns: an assistant that answers like this one, with `code`'s numbers.
  /// - Throws: ``AssistantError/unknownRegion(_:known:)``.
  public func inRegion(_ code: String) throws -> Assistant {
    try Assistant(knowledge: knowledge, region: code, compiled: compiled, embeddings: embeddings)
  }
}

extension Assistant {
  /// The sentence-embedding table this assistant was built with, if any.
  public var embeddingTable: StaticEmbeddingTable? { embeddings }
}
