// Checks the translations before a build: every language has exactly the English catalog's keys, every message
// parses as ICU MessageFormat, and uses the same arguments as the English one (a translation that drops {price}
// would show a sentence without the price). A failure stops the build with the messages named. Both web clients'
// builds run it, each in its own folder, the ICU parser taken from that client (a devDependency of each):
//   node scripts/check-messages.mjs src/i18n/messages        (the fan app)
//   node ../fan/scripts/check-messages.mjs src/messages      (the ops dashboard)
import { readdirSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { resolve } from "node:path";
import { pathToFileURL } from "node:url";

const client = pathToFileURL(`${process.cwd()}/`);
const { parse, TYPE } = await import(pathToFileURL(createRequire(client).resolve("@formatjs/icu-messageformat-parser")).href);
const folder = pathToFileURL(`${resolve(process.argv[2] ?? "src/i18n/messages")}/`);
const read = (file) => JSON.parse(readFileSync(new URL(file, folder), "utf8"));

function argumentsOf(elements, found = new Set()) {
  for (const element of elements) {
    if (element.type === TYPE.argument || element.type === TYPE.number || element.type === TYPE.date || element.type === TYPE.time) {
      found.add(element.value);
    } else if (element.type === TYPE.plural || element.type === TYPE.select) {
      found.add(element.value);
      for (const option of Object.values(element.options)) argumentsOf(option.value, found);
    } else if (element.type === TYPE.tag) {
      argumentsOf(element.children, found);
    }
  }
  return found;
}

const english = read("en.json");
const problems = [];
const englishArguments = {};
for (const [key, message] of Object.entries(english)) {
  try {
    englishArguments[key] = [...argumentsOf(parse(message))].sort().join(",");
  } catch (error) {
    problems.push(`en: ${key}: ${error.message}`);
  }
}

for (const file of readdirSync(folder).filter((name) => name.endsWith(".json") && name !== "en.json")) {
  const language = file.replace(/\.json$/, "");
  const catalog = read(file);
  for (const key of Object.keys(english)) {
    if (!(key in catalog)) problems.push(`${language}: ${key} is missing`);
  }
  for (const [key, message] of Object.entries(catalog)) {
    if (!(key in english)) {
      problems.push(`${language}: ${key} is not in en.json`);
      continue;
    }
    try {
      const used = [...argumentsOf(parse(message))].sort().join(",");
      if (used !== englishArguments[key]) problems.push(`${language}: ${key} uses {${used}}, English uses {${englishArguments[key]}}`);
    } catch (error) {
      problems.push(`${language}: ${key}: ${error.message}`);
    }
  }
}

if (problems.length) {
  console.error(`Translations: ${problems.length} problem(s)\n  ${problems.join("\n  ")}`);
  process.exit(1);
}
console.log(`Translations: ${Object.keys(english).length} messages checked in every language.`);
