import Foundation

/// The checks without which the engine would misbehave: dangling flow references, unknown
/// slots, conditions or emergency phrases that do not parse, a missing default region.
///
/// Content checks that need the seeds or the matcher (sources, example counts, suggestions)
/// live in ``KnowledgeValidator`` and run from `backtalk validate` and the tests.
struct StructureCheck {
  let knowledge: KnowledgeBase

  func problems() -> [KnowledgeProblem] {
    var problems: [KnowledgeProblem] = []
    let files = knowledge.files
    for intent in knowledge.intents {
      var line: Int? { KnowledgeBase.line(of: "name: \(intent.name)", in: files[intent.file]) }
      if intent.examples.isEmpty {
        problems.append(
          KnowledgeProblem(
            file: intent.file, line: line,
            message: "intent '\(intent.name)' has no examples; the matcher could never pick it"))
      }
      if intent.answer.trimmingWhitespace().isEmpty {
        problems.append(
          KnowledgeProblem(
            file: intent.file, line: line, message: "intent '\(intent.name)' has no answer"))
      }
      for flow in [intent.offer, intent.flow].compactMap({ $0 }) where knowledge.flows[flow] == nil
      {
        problems.append(
          KnowledgeProblem(
            file: intent.file, line: line,
            message:
              "intent '\(intent.name)' refers to flow '\(flow)', which flows.yaml does not define"))
      }
    }
    for flow in knowledge.flows.values.sorted(by: { $0.name < $1.name }) {
      let file = "flows.yaml"
      var line: Int? { KnowledgeBase.line(of: "name: \(flow.name)", in: files[file]) }
      for slot in flow.slots where SlotName(rawValue: slot.name) == nil {
        problems.append(
          KnowledgeProblem(
            file: file, line: KnowledgeBase.line(of: "name: \(slot.name)", in: files[file]) ?? line,
            message: "flow '\(flow.name)' asks for unknown slot '\(slot.name)'; known: "
              + SlotName.allCases.map(\.rawValue).joined(separator: ", ")))
      }
      for section in flow.plan?.sections ?? [] {
        for rule in section.rules {
          do { _ = try SlotCondition(parsing: rule.when) } catch {
            problems.append(
              KnowledgeProblem(
                file: file, line: KnowledgeBase.line(of: rule.when, in: files[file]) ?? line,
                message: "plan rule condition: \(error)"))
          }
        }
      }
      if flow.slots.isEmpty && flow.questions.isEmpty {
        problems.append(
          KnowledgeProblem(
            file: file, line: line, message: "flow '\(flow.name)' has neither slots nor questions"))
      }
      if !flow.questions.isEmpty && flow.outcomes == nil {
        problems.append(
          KnowledgeProblem(
            file: file, line: line, message: "checklist '\(flow.name)' has no outcomes"))
      }
      if !flow.slots.isEmpty && flow.plan == nil {
        problems.append(
          KnowledgeProblem(file: file, line: line, message: "intake '\(flow.name)' has no plan"))
      }
    }
    for category in knowledge.emergencies.categories {
      for pattern in category.patterns.flatMap({ $0.components(separatedBy: "&&") }) {
        do { _ = try PhrasePattern(parsing: pattern) } catch {
          problems.append(
            KnowledgeProblem(
              file: "emergencies.yaml",
              line: KnowledgeBase.line(of: pattern, in: files["emergencies.yaml"]),
              message: "category '\(category.name)': \(error)"))
        }
      }
    }
    // A reply shows each source's title: a cited document must be in the registry.
    var unregistered = Set<String>()
    for (source, file, owner) in knowledge.citations
    where knowledge.documents[source.document] == nil {
      guard unregistered.insert("\(owner) \(source.document)").inserted else { continue }
      problems.append(
        KnowledgeProblem(
          file: file, line: KnowledgeBase.line(of: source.document, in: files[file]),
          message:
            "'\(owner)' cites '\(source.document)', which documents.yaml does not list; add it with its title"
        ))
    }
    for document in knowledge.documents.values where document.title.trimmingWhitespace().isEmpty {
      problems.append(
        KnowledgeProblem(
          file: "documents.yaml",
          line: KnowledgeBase.line(of: document.file, in: files["documents.yaml"]),
          message: "'\(document.file)' has no title; give the article's title"))
    }
    for code in [Region.defaultCode, "us"] where knowledge.regions[code] == nil {
      // `intl` is what a chat uses when nothing names a region; `us` is what transcripts
      // without a `region:` line replay in.
      problems.append(
        KnowledgeProblem(file: "regions.yaml", message: "the region '\(code)' is missing"))
    }
    // Front ends put these in tel: links, so a space or a word in them would break the link.
    for region in knowledge.regions.values.sorted(by: { $0.code < $1.code }) {
      for (field, number) in [
        ("emergency_number", region.emergencyNumber), ("crisis_number", region.crisisNumber),
      ]
      where number.isEmpty || !number.utf8.allSatisfy({ (0x30...0x39).contains($0) }) {
        problems.append(
          KnowledgeProblem(
            file: "regions.yaml", line: KnowledgeBase.line(of: number, in: files["regions.yaml"]),
            message: "region '\(region.code)': \(field) must be digits only, not '\(number)'"))
      }
    }
    // An alias that is another region's code, or is claimed twice, would send people to
    // whichever region the lookup happens to meet first.
    var claimed: [String: String] = [:]
    for region in knowledge.regions.values.sorted(by: { $0.code < $1.code }) {
      for alias in region.aliases {
        if alias != alias.lowercased() || knowledge.regions[alias] != nil {
          problems.append(
            KnowledgeProblem(
              file: "regions.yaml",
              message:
                "region '\(region.code)': alias '\(alias)' must be lower case and not another region's code"
            ))
        } else if let other = claimed.updateValue(region.code, forKey: alias) {
          problems.append(
            KnowledgeProblem(
              file: "regions.yaml",
              message: "alias '\(alias)' is given to both '\(other)' and '\(region.code)'; keep one"
            ))
        }
      }
    }
    return problems
  }
}

extension String {
  /// The string without leading and trailing spaces and newlines.
  func trimmingWhitespace() -> String {
    var s = Substring(self)
    while let f = s.first, f.isWhitespace { s.removeFirst() }
    while let l = s.last, l.isWhitespace { s.removeLast() }
    return String(s)
  }
}
