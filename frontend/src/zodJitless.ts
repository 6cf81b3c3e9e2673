// Imported first by main.tsx, before any module that builds or runs a schema: the server's
// Content-Security-Policy forbids eval, and zod's JIT would probe for it, which the browser
// reports as a violation. Jitless, zod validates the same way without compiling code.
import { z } from "zod";

z.config({ jitless: true });
