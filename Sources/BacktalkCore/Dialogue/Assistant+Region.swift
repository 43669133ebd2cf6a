extension Assistant {
  /// The same assistant, telling people the emergency and crisis numbers of another region.
  ///
  /// Nothing is compiled again: the region is only read when a reply is rendered (the numbers
  /// in escalations and the `{number}` and `{crisis}` placeholders), and every compiled part
  /// is shared storage, so a copy costs a few reference counts. That is what lets one `serve`
  /// process hold an assistant per region and let each session choose.
  ///
  /// - Parameter code: a region code of `regions.yaml` (`us`, `uk`, `eu`, `au`).
  /// - Returns: a copy of this assistant with that region.
  /// - Throws: ``AssistantError/unknownRegion(_:known:)`` when the knowledge base has no such
  ///   region.
  public func inRegion(_ code: String) throws(AssistantError) -> Assistant {
    guard let chosen = knowledge.region(named: code) else {
      throw AssistantError.unknownRegion(code, known: knowledge.regions.keys.sorted())
    }
    var copy = self
    copy.region = chosen
    return copy
  }
}

extension Assistant {
  /// The sentence-embedding table this assistant was built with, if any.
  public var embeddingTable: StaticEmbeddingTable? { embeddings }
}
