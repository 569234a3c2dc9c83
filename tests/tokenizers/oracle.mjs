// oracle.mjs DIR CORPUS — encodes every text of CORPUS (a JSON array of strings) with
// tokenizers.js and DIR/tokenizer.json (+ tokenizer_config.json), and prints one JSON line per
// text: the ids without and with the post-processor's specials, and the decode of the first.
import { readFileSync, existsSync } from "node:fs";
import { join } from "node:path";
import { Tokenizer } from "@huggingface/tokenizers";

const [dir, corpus] = process.argv.slice(2);
const json = JSON.parse(readFileSync(join(dir, "tokenizer.json"), "utf8"));
const configPath = join(dir, "tokenizer_config.json");
const config = existsSync(configPath) ? JSON.parse(readFileSync(configPath, "utf8")) : {};
const tokenizer = new Tokenizer(json, config);
for (const text of JSON.parse(readFileSync(corpus, "utf8"))) {
  const ids = tokenizer.encode(text, { add_special_tokens: false }).ids;
  const post = tokenizer.encode(text, { add_special_tokens: true }).ids;
  const decoded = ids.length > 0 ? tokenizer.decode(ids) : "";
  console.log(JSON.stringify({ text, ids, post, decoded }));
}
