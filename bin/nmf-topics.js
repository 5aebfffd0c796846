#!/usr/bin/env node
// The worker pool starts first, so that it boots while the CLI's modules load (src/cli/prestart.ts).
import { prestart } from "../dist/cli/prestart.js";

prestart(process.argv);
await import("../dist/cli/main.js");
