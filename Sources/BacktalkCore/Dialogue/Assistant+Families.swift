/// "The consultant rattled off a load of injection options, what are the main ones?": a question
/// for the kinds of a family of treatments (`family_NAME_words` and `family_NAME_topics` in
/// `settings.yaml`) gets each kind in a line, with its sources, rather than one of them or "I'm
/// not sure I understood". (Added in the twenty-fifth session, from v40's graded conversations,
/// after v40 was scored.)
extension Assistant {
  /// The kinds of a family asked for, or nil when the message asks for no kinds, names no
  /// family, or the matcher is sure of one kind already.
  func familyAsked(_ message: PreparedMessage, _ match: IntentMatch, state: inout DialogueState)
    -> Reply?
  {
    let tokens = message.analysis.tokens
    guard state.activeFlow == nil, asksSomething(tokens),
      cueSets["asks_kinds"]?.matchesAny(tokens) == true,
      let lead = settings.messages["family_lead"]
    else { return nil }
    for family in treatmentFamilies where tokens.contains(where: family.words.contains) {
      let members = family.members.compactMap { knowledge.intent(named: $0) }
      // (One kind named or read surely is that kind's question: "what are the risks of the
      // epidural one?".)
      if let best = match.best, members.contains(where: { $0.name == best }),
        match.confidence >= Self.sureOfOneKind
      {
        return nil
      }
      guard members.count >= 2 else { continue }
      var lines: [String] = []
      var sources: [SourceRef] = []
      for member in members {
        let (text, refs) = brief(member, facet: "overview", sentences: 1)
        lines.append("- \(member.title): \(text)")
        sources += refs.filter { !sources.contains($0) }
      }
      var reply = Reply(
        text: fill(lead, extra: ["family": family.spokenName])
          + "\n" + lines.joined(separator: "\n"),
        intent: members.first?.name, confidence: 1, kind: .answer,
        suggestions: members.prefix(3).map(\.title), sources: sources)
      reply.facet = "kinds"
      for member in members { state.given.insert("\(member.name)#kinds") }
      state.previousTopic = state.topic
      state.topic = members.first?.name
      return reply
    }
    return nil
  }

  /// The families `settings.yaml` names (`family_NAME_topics`), in sorted order.
  static func families(_ settings: Settings) -> [TreatmentFamily] {
    let whole = Set(
      (settings.messages["avoid_families"] ?? "").split(separator: " ").map(String.init))
    return settings.messages.keys.filter { $0.hasPrefix("family_") && $0.hasSuffix("_topics") }
      .map { String($0.dropFirst("family_".count).dropLast("_topics".count)) }.sorted()
      .map { name in
        TreatmentFamily(
          name: name, spokenName: settings.messages["family_\(name)_name"] ?? name,
          words: Set(
            (settings.messages["family_\(name)_words"] ?? "").split(separator: " ").map(
              String.init)),
          members: (settings.messages["family_\(name)_topics"] ?? "").split(separator: " ").map(
            String.init),
          refusedWhole: whole.contains(name))
      }
  }

  /// How sure the matcher must be of one kind for the question to be that kind's.
  static let sureOfOneKind = 0.6
}
