import ArgumentParser
import BacktalkCore

/// Lists the intents and their examples for other tools.
struct IntentsCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "intents",
    abstract:
      "List every intent with its examples (--json for tools that train or audit on the same data)."
  )

  @OptionGroup var knowledge: KnowledgeOptions

  @Flag(help: "One JSON object per intent, per line.")
  var json = false

  func run() throws {
    let kb = try knowledge.loadKnowledge()
    for intent in kb.intents {
      if json {
        var w = JSONWriter()
        w.beginObject()
        w.key("intent"); w.string(intent.name)
        w.key("title"); w.string(intent.title)
        w.key("file"); w.string(intent.file)
        w.key("flow"); w.optionalString(intent.flow)
        w.key("examples")
        w.beginArray()
        for e in intent.examples { w.string(e) }
        w.endArray()
        w.key("more_examples")
        w.beginArray()
        for e in intent.moreExamples { w.string(e) }
        w.endArray()
        w.key("sources")
        w.beginArray()
        for s in intent.sources {
          w.beginObject()
          w.key("document"); w.string(s.document)
          w.key("section"); w.string(s.section)
          w.endObject()
        }
        w.endArray()
        w.endObject()
        StandardStreams.write(w.text + "\n")
      } else {
        StandardStreams.write(
          "\(intent.name) (\(intent.examples.count) examples, \(intent.moreExamples.count) more): \(intent.title)\n"
        )
      }
    }
  }
}
