/// The union of everything one YAML file of `Intents/` may hold.
///
/// Authors group content as they like (one file per intent group); the loader decodes each file
/// into this shape and merges them, so which file holds what is the author's choice.
struct KnowledgeFile: Decodable {
  var intents: [Intent]?
  var flows: [FlowDefinition]?
  var categories: [EmergencyCategory]?
  var context: EmergencyContext?
  var spellings: [String: String]?
  var concepts: [Concept]?
  var regions: [Region]?
  var settings: Settings?
  var slots: SlotLexicon?
}
