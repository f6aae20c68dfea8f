import { mmLibrary } from "@mm/tsup-config";
import { defineConfig } from "tsup";

export default defineConfig(mmLibrary());
