// The app's lint rules for the benchmark too: `npx eslint -c bench/eslint.config.js bench`
// (the app's own config matches no file here, so `npm run lint` passes over this folder).
import globals from "globals";
import tseslint from "typescript-eslint";
import js from "@eslint/js";
import { fileURLToPath } from "node:url";
import app from "../eslint.config.js";

// typescript-eslint finds two config folders (here and the app's): the app's is the root.
const root = fileURLToPath(new URL("..", import.meta.url));

export default [
  ...app.map((config) => ({
    ...config,
    languageOptions: {
      ...config.languageOptions,
      parserOptions: { ...config.languageOptions?.parserOptions, tsconfigRootDir: root },
    },
  })),
  ...tseslint.config({
    extends: [js.configs.recommended, ...tseslint.configs.recommended],
    files: ["bench/**/*.{js,ts}"],
    languageOptions: { ecmaVersion: 2022, globals: globals.node, parserOptions: { tsconfigRootDir: root } },
  }),
];
