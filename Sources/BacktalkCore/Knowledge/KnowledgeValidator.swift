/// The content linter behind `backtalk validate`: what a content author must get right
/// beyond what the engine needs to run.
///
/// Pure: the seeds come in as `(name, contents)` pairs, so tests plant defects in copies and
/// check each is reported with its file and line.
public struct KnowledgeValidator: Sendable {
  /// The fewest examples an intent may have.
  public static let minimumExamples = 15
  /// The longest answer, in characters (a chat bubble, not an article).
  public static let maximumAnswerLength = 1400
  /// Copying this many consecutive words from a seed counts as copying its sentences.
  public static let copiedRun = 12

  let assistant: Assistant

  /// Creates a validator over a built assistant (its matcher resolves suggestions).
  public init(assistant: Assistant) { self.assistant = assistant }

  /// Every problem found; empty means the knowledge base is ready to ship.
  ///
  /// - Parameter seeds: the seed files, or nil to skip the checks that need them.
  /// - Returns: the problems, each with its file and line.
  public func problems(seeds: [String: String]?) -> [KnowledgeProblem] {
    let knowledge = assistant.knowledge
    var problems: [KnowledgeProblem] = []
    let settings = knowledge.settings
    let conversational = Set(settings.conversational)
    for name in settings.catalogue where knowledge.intent(named: name) == nil {
      problems.append(
        KnowledgeProblem(
          file: "Intents/",
          message: "catalogue intent '\(name)' is missing; add it to an intents file"))
    }
    let categories = Set(knowledge.emergencies.categories.map(\.name))
    for name in settings.emergencyCategories where !categories.contains(name) {
      problems.append(
        KnowledgeProblem(
          file: "emergencies.yaml", message: "emergency category '\(name)' is missing"))
    }
    var seen: [String: (intent: String, file: String)] = [:]
    let normalizer = TextNormalizer(spellings: knowledge.vocabulary.spellings)
    for intent in knowledge.intents {
      let text = knowledge.files[intent.file]
      let line = KnowledgeBase.line(of: "name: \(intent.name)", in: text)
      func report(_ message: String, at needle: String? = nil) {
        problems.append(
          KnowledgeProblem(
            file: intent.file,
            line: needle.flatMap { KnowledgeBase.line(of: $0, in: text) } ?? line,
            message: message))
      }
      if intent.examples.count < Self.minimumExamples {
        report(
          "intent '\(intent.name)' has \(intent.examples.count) examples; write at least \(Self.minimumExamples) varied phrasings"
        )
      }
      for example in intent.examples + intent.moreExamples {
        let key = normalizer.tokens(example).filter { !TextNormalizer.isBreak($0) }.joined(
          separator: " ")
        if let earlier = seen[key] {
          if earlier.intent == intent.name {
            report("duplicate example '\(example)' in '\(intent.name)'", at: example)
          } else {
            report(
              "example '\(example)' of '\(intent.name)' also belongs to '\(earlier.intent)' (\(earlier.file)); keep it in one intent",
              at: example)
          }
        }
        seen[key] = (intent.name, intent.file)
      }
      let isMedical = !conversational.contains(intent.name) && intent.flow == nil
      if isMedical && intent.sources.isEmpty {
        report(
          "intent '\(intent.name)' gives medical information without sources; add document and section"
        )
      }
      if intent.answer.count > Self.maximumAnswerLength {
        report(
          "the answer of '\(intent.name)' is \(intent.answer.count) characters; keep it under \(Self.maximumAnswerLength) (2-6 sentences)"
        )
      }
      for suggestion in intent.suggestions {
        let match = assistant.classify(suggestion)
        if match.best == nil || match.best == "out_of_scope"
          || match.confidence < settings.fallbackBelow
        {
          report(
            "suggestion '\(suggestion)' of '\(intent.name)' does not lead anywhere (the matcher picks \(match.best ?? "nothing") at \(Int(match.confidence * 100))%); rephrase it or add it as an example of its target",
            at: suggestion)
        }
      }
    }
    problems += facetProblems()
    problems += termProblems()
    guard let seeds else { return problems }
    for document in knowledge.documents.values.sorted(by: { $0.file < $1.file })
    where seeds[document.file] == nil {
      problems.append(
        KnowledgeProblem(
          file: "documents.yaml",
          line: KnowledgeBase.line(of: document.file, in: knowledge.files["documents.yaml"]),
          message: "'\(document.file)' is listed but is not a seed file; remove it or fix the name")
      )
    }
    var headings: [String: Set<String>] = [:]
    for (name, contents) in seeds {
      headings[name] = Set(contents.split(separator: "\n").map { String($0).trimmingWhitespace() })
    }
    for (source, file, owner) in knowledge.citations {
      guard let lines = headings[source.document] else {
        problems.append(
          KnowledgeProblem(
            file: file, line: KnowledgeBase.line(of: source.document, in: knowledge.files[file]),
            message: "'\(owner)' cites '\(source.document)', which is not a seed file"))
        continue
      }
      if !lines.contains(source.section.trimmingWhitespace()) {
        problems.append(
          KnowledgeProblem(
            file: file, line: KnowledgeBase.line(of: source.section, in: knowledge.files[file]),
            message:
              "'\(owner)' cites section '\(source.section)', which is not a heading line of \(source.document)"
          ))
      }
    }
    problems += copiedSentences(seeds: seeds)
    return problems
  }

  /// Facets of unknown topics or names, facets without sources, and facets too long for a
  /// chat bubble.
  func facetProblems() -> [KnowledgeProblem] {
    let knowledge = assistant.knowledge
    let names = Set(FacetName.allCases.map(\.rawValue)).union(Assistant.gapFacets.values)
    var problems: [KnowledgeProblem] = []
    for (intent, topic) in knowledge.facets.sorted(by: { $0.key < $1.key }) {
      let file = knowledge.facetFiles[intent] ?? "facets"
      let line = KnowledgeBase.line(of: "intent: \(intent)", in: knowledge.files[file])
      func report(_ message: String) {
        problems.append(KnowledgeProblem(file: file, line: line, message: message))
      }
      if knowledge.intent(named: intent) == nil {
        report("facets given for '\(intent)', which is not an intent")
      }
      for (name, facet) in topic.facets.sorted(by: { $0.key < $1.key }) {
        if !names.contains(name) {
          report(
            "'\(intent)' has a facet '\(name)'; use one of \(names.sorted().joined(separator: ", "))"
          )
        }
        if facet.sources.isEmpty { report("the \(name) facet of '\(intent)' has no sources") }
        let words = facet.answer.split(whereSeparator: { $0 == " " || $0 == "\n" }).count
        if words > Self.maximumFacetWords {
          report(
            "the \(name) facet of '\(intent)' has \(words) words; keep it under \(Self.maximumFacetWords)"
          )
        }
      }
      for name in topic.gaps.keys.sorted() where !names.contains(name) {
        report(
          "'\(intent)' records a gap '\(name)'; use one of \(names.sorted().joined(separator: ", "))"
        )
      }
    }
    return problems
  }

  /// Terms of unknown topics, without sources, too long, or named twice.
  func termProblems() -> [KnowledgeProblem] {
    let knowledge = assistant.knowledge
    var problems: [KnowledgeProblem] = []
    var named: [String: String] = [:]
    for term in knowledge.terms {
      let line = KnowledgeBase.line(of: "name: \(term.name)", in: knowledge.files["terms.yaml"])
      func report(_ message: String) {
        problems.append(KnowledgeProblem(file: "terms.yaml", line: line, message: message))
      }
      if knowledge.intent(named: term.intent) == nil {
        report("term '\(term.name)' belongs to '\(term.intent)', which is not an intent")
      }
      if term.sources.isEmpty { report("term '\(term.name)' has no sources") }
      let words = term.answer.split(whereSeparator: { $0 == " " || $0 == "\n" }).count
      if words > Self.maximumFacetWords {
        report(
          "term '\(term.name)' has \(words) words; keep it under \(Self.maximumFacetWords)")
      }
      for name in term.names {
        if let other = named[name], other != term.name {
          report("'\(name)' names both '\(other)' and '\(term.name)'; keep it in one")
        }
        named[name] = term.name
      }
    }
    return problems
  }

  /// The longest facet, in words: a chat bubble, not a page.
  static let maximumFacetWords = 90

  /// Answers that repeat a long run of a seed's words (answers must be in the project's words).
  func copiedSentences(seeds: [String: String]) -> [KnowledgeProblem] {
    let knowledge = assistant.knowledge
    let normalizer = TextNormalizer()
    var runs = Set<String>()
    for contents in seeds.values {
      let words = normalizer.tokens(contents).filter { !TextNormalizer.isBreak($0) }
      guard words.count >= Self.copiedRun else { continue }
      for i in 0...(words.count - Self.copiedRun) {
        runs.insert(words[i..<(i + Self.copiedRun)].joined(separator: " "))
      }
    }
    var problems: [KnowledgeProblem] = []
    var texts = knowledge.intents.map {
      (
        text: $0.answer, file: $0.file, needle: "name: \($0.name)",
        owner: "the answer of '\($0.name)'"
      )
    }
    for (intent, topic) in knowledge.facets.sorted(by: { $0.key < $1.key }) {
      for (name, facet) in topic.facets.sorted(by: { $0.key < $1.key }) {
        texts.append(
          (
            facet.answer, knowledge.facetFiles[intent] ?? "facets", "intent: \(intent)",
            "the \(name) facet of '\(intent)'"
          ))
      }
    }
    for term in knowledge.terms {
      texts.append((term.answer, "terms.yaml", "name: \(term.name)", "term '\(term.name)'"))
    }
    for item in texts {
      let words = normalizer.tokens(item.text).filter { !TextNormalizer.isBreak($0) }
      guard words.count >= Self.copiedRun else { continue }
      for i in 0...(words.count - Self.copiedRun) {
        let run = words[i..<(i + Self.copiedRun)].joined(separator: " ")
        if runs.contains(run) {
          problems.append(
            KnowledgeProblem(
              file: item.file,
              line: KnowledgeBase.line(of: item.needle, in: knowledge.files[item.file]),
              message:
                "\(item.owner) copies a seed sentence (\"\(run)...\"); say it in your own words"
            ))
          break
        }
      }
    }
    return problems
  }
}
