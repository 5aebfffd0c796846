// Per-iteration time of a fit on 20 Newsgroups (or BBC), the corpus read and vectorized once:
// median over the iterations of several fits, for a given thread count, with the WebAssembly
// kernels or (NMF_TOPICS_WASM=0) the JavaScript ones. For profiling the solvers without the rest.
//   node bench/iterations.mjs [--corpus 20ng|bbc] [--threads N] [--loss frobenius|kl] [--runs 3] [--iter 20]
import { parseArgs } from "node:util";
import { ensureCorpora } from "./corpora.mjs";
import { defaultReadOptions, defaultTextOptions, fitVectorizer, readCorpus } from "../dist/index.js";
import { fitNmf } from "../dist/nmf/factorize.js";
import { defaultNmfOptions } from "../dist/nmf/params.js";
import { createExecutor } from "../dist/parallel/index.js";

const { values } = parseArgs({
  options: {
    corpus: { type: "string", default: "20ng" },
    threads: { type: "string", default: "1" },
    loss: { type: "string", default: "frobenius" },
    runs: { type: "string", default: "3" },
    iter: { type: "string", default: "20" },
  },
});
const roots = ensureCorpora();
const root = values.corpus === "bbc" ? roots.bbc : roots.news20Train;
const k = values.corpus === "bbc" ? 5 : 20;
const documents = await readCorpus([root], defaultReadOptions, () => {});
const { X: matrix } = fitVectorizer(documents.map((d) => d.text), defaultTextOptions);
const executor = createExecutor(Number(values.threads));
await executor.whenReady();
const perIteration = [];
const whole = [];
for (let run = 0; run < Number(values.runs); run++) {
  let last = 0;
  const t0 = performance.now();
  fitNmf(matrix, {
    ...defaultNmfOptions,
    nTopics: k,
    loss: values.loss,
    maxIter: Number(values.iter),
    tol: 0,
    executor,
    onIteration: ({ iteration }) => {
      const now = performance.now();
      if (iteration > 1) perIteration.push(now - last);
      last = now;
    },
  });
  whole.push(performance.now() - t0);
}
executor.close();
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
console.log(
  `${values.corpus} k=${k} ${values.loss} threads=${values.threads} wasm=${executor.native}: ` +
    `${perIteration.length ? median(perIteration).toFixed(2) : "-"} ms per iteration, fit of ${values.iter} iterations ${median(whole).toFixed(0)} ms`,
);
