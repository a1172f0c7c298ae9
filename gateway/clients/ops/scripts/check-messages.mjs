// Checks the translations before a build: every language has exactly the English catalog's keys, every message
// parses as ICU MessageFormat, and uses the same arguments as the English one (a translation that drops {price}
// would show a sentence without the price). A failure stops the build with the messages named.
import { readdirSync, readFileSync } from "node:fs";
import { parse, TYPE } from "@formatjs/icu-messageformat-parser";

const folder = new URL("../src/messages/", import.meta.url);
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
