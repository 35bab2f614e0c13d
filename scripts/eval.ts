/**
 * `npm run eval -- --model <folder> --train <file> --test <file> --preset origin|bert-as-service|sbert …`
 *
 * Parses the command line and prints; the work is `evaluate` in src/node/evaluate.ts (the app's own
 * service, classifiers and report). stdout: the classification report, the confusion matrix, then one JSON
 * line (the last line). stderr: progress. Exit codes: 0 done, 2 bad arguments or unreadable input files,
 * 1 anything else (e.g. a model that does not load).
 */
import { existsSync, statSync } from 'node:fs';
import type { ClassifierKind } from '../src/core/classifier';
import { InputError, PairscopeError } from '../src/core/errors';
import type { Pooling, SbertParts } from '../src/core/recipe';
import type { EvalDtype, EvalPreset, RecipeOverrides } from '../src/node/evaluate';

const USAGE = `Usage: npm run eval -- --model <folder> --train <file> --test <file> --preset <preset> [options]

Embeds the labelled pairs of --train and --test with a model, trains a classifier on the train vectors
and reports how it does on the test pairs (the same code as the app).

Required:
  --model <folder>        model folder in transformers.js layout (config.json, tokenizer.json, onnx/)
  --train <file>          labelled pairs: JSONL (premise, hypothesis, label; or sentence1, sentence2,
  --test <file>             gold_label) or TSV (premise, hypothesis, label; header line optional)
  --preset <name>         origin | bert-as-service | sbert

Options:
  --layer <N[,M…]>        hidden layer(s) instead of the preset's (−1 = last, −2 = second-to-last, 0 = embeddings)
  --pooling <name>        mean | max | mean-max | first | last
  --max-length <N>        token limit per model input (special tokens included); bert-as-service's is 25,
                          so pass --max-length 512 to embed whole pairs with it
  --parts <list>          sbert only: parts of the pair vector, from u,v,absdiff,product (default u,v,absdiff)
  --classifier <name>     logreg (default) | mlp | gbdt
  --seed <N>              seed of the MLP (default 0)
  --dtype <name>          fp32 (default, onnx/model.onnx) | q8 (onnx/model_quantized.onnx)
  --threads <N>           inference threads (default: all cores)
  -h, --help              this text

Output: the classification report and confusion matrix, then one JSON line with accuracy, macro_f1, n_train,
n_test, preset, recipe, classifier, dim, embed_seconds, train_seconds, model and more. Progress goes to stderr.
Exit codes: 0 ok, 2 bad arguments or input files, 1 other errors.
`;

/** A command-line mistake: exit code 2 with the usage hint. */
class UsageError extends Error {}

const VALUE_FLAGS = [
  'model',
  'train',
  'test',
  'preset',
  'layer',
  'pooling',
  'max-length',
  'parts',
  'classifier',
  'seed',
  'dtype',
  'threads',
] as const;
type Flag = (typeof VALUE_FLAGS)[number];

const PRESETS: readonly EvalPreset[] = ['origin', 'bert-as-service', 'sbert'];
const POOLINGS: readonly Pooling[] = ['mean', 'max', 'mean-max', 'first', 'last'];
const CLASSIFIERS: readonly ClassifierKind[] = ['logreg', 'mlp', 'gbdt'];
const DTYPES: readonly EvalDtype[] = ['fp32', 'q8'];
const PART_NAMES: Record<string, keyof SbertParts> = {
  u: 'u',
  v: 'v',
  absdiff: 'absDiff',
  product: 'product',
};

interface CliArgs {
  help: boolean;
  values: Partial<Record<Flag, string>>;
}

/** `--flag value` and `--flag=value`; a value may start with a dash (`--layer -1`). */
function parseArgv(argv: readonly string[]): CliArgs {
  const values: Partial<Record<Flag, string>> = {};
  let help = false;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '-h' || arg === '--help') {
      help = true;
      continue;
    }
    if (!arg.startsWith('--')) throw new UsageError(`Unexpected argument '${arg}'.`);
    const eq = arg.indexOf('=');
    const name = arg.slice(2, eq < 0 ? undefined : eq);
    if (!(VALUE_FLAGS as readonly string[]).includes(name)) throw new UsageError(`Unknown flag --${name}.`);
    const flag = name as Flag;
    let value: string | undefined;
    if (eq >= 0) value = arg.slice(eq + 1);
    else {
      value = argv[i + 1];
      i++;
    }
    if (value === undefined || value === '' || value.startsWith('--')) {
      throw new UsageError(`--${flag} needs a value.`);
    }
    if (values[flag] !== undefined) throw new UsageError(`--${flag} is given twice.`);
    values[flag] = value;
  }
  return { help, values };
}

function oneOf<T extends string>(flag: Flag, value: string, allowed: readonly T[]): T {
  if (!(allowed as readonly string[]).includes(value)) {
    throw new UsageError(`--${flag} is '${value}'; choose one of ${allowed.join(', ')}.`);
  }
  return value as T;
}

function integer(flag: Flag, value: string, min: number | null): number {
  if (!/^-?\d+$/.test(value) || (min !== null && Number(value) < min)) {
    throw new UsageError(`--${flag} is '${value}'; give an integer${min === null ? '' : ` ≥ ${min}`}.`);
  }
  return Number(value);
}

function required(values: CliArgs['values'], flag: Flag): string {
  const value = values[flag];
  if (value === undefined) throw new UsageError(`--${flag} is required.`);
  return value;
}

function existingFile(flag: Flag, file: string): string {
  if (!existsSync(file)) throw new UsageError(`--${flag}: ${file} does not exist.`);
  if (!statSync(file).isFile()) throw new UsageError(`--${flag}: ${file} is not a file.`);
  return file;
}

function parseParts(value: string): SbertParts {
  const parts: SbertParts = { u: false, v: false, absDiff: false, product: false };
  for (const name of value.split(',').map((s) => s.trim().toLowerCase())) {
    const key = PART_NAMES[name];
    if (key === undefined) {
      throw new UsageError(`--parts: unknown part '${name}'; choose from u, v, absdiff, product.`);
    }
    parts[key] = true;
  }
  return parts;
}

async function main(argv: readonly string[]): Promise<void> {
  const args = parseArgv(argv);
  if (args.help) {
    process.stdout.write(USAGE);
    return;
  }
  const { values } = args;
  const preset = oneOf('preset', required(values, 'preset'), PRESETS);
  const model = required(values, 'model');
  const trainFile = existingFile('train', required(values, 'train'));
  const testFile = existingFile('test', required(values, 'test'));
  const overrides: RecipeOverrides = {};
  if (values.layer !== undefined) {
    overrides.layers = values.layer.split(',').map((s) => integer('layer', s.trim(), null));
  }
  if (values.pooling !== undefined) overrides.pooling = oneOf('pooling', values.pooling, POOLINGS);
  // Below 4 tokens a pair cannot hold [CLS], a token of each sentence and [SEP]; the pipeline clamps to 4.
  if (values['max-length'] !== undefined)
    overrides.maxLength = integer('max-length', values['max-length'], 4);
  if (values.parts !== undefined) {
    if (preset !== 'sbert') throw new UsageError('--parts applies only to --preset sbert.');
    overrides.parts = parseParts(values.parts);
  }
  const classifier = oneOf('classifier', values.classifier ?? 'logreg', CLASSIFIERS);
  const seed = integer('seed', values.seed ?? '0', 0);
  const dtype = oneOf('dtype', values.dtype ?? 'fp32', DTYPES);
  const threads = values.threads === undefined ? null : integer('threads', values.threads, 1);
  // Loaded only now (ONNX Runtime, transformers.js: about a second), so --help and argument errors are instant.
  const { buildRecipe, evaluate, formatConfusion, modelFolder, readDataset } =
    await import('../src/node/evaluate');
  modelFolder(model);
  const recipe = buildRecipe(preset, overrides);

  const log = (message: string): void => {
    process.stderr.write(`${message}\n`);
  };
  if (preset === 'bert-as-service' && values['max-length'] === undefined) {
    log(
      `note: bert-as-service cuts pairs longer than ${recipe.maxLength} tokens (its max_seq_len); pass --max-length 512 to keep whole pairs.`,
    );
  }
  const [train, test] = await Promise.all([readDataset(trainFile), readDataset(testFile)]);
  log(`train: ${train.name} (${train.pairs.length} rows), test: ${test.name} (${test.pairs.length} rows)`);

  let lastAt = -Infinity;
  const result = await evaluate({
    model,
    train,
    test,
    preset,
    recipe,
    classifier,
    seed,
    dtype,
    threads,
    onLog: log,
    onProgress: (p) => {
      if (p.stage !== 'embed') return;
      const now = performance.now();
      // A line every 2 s (and the last one): readable in logs, where carriage returns are not.
      if (now - lastAt < 2000 && p.done < p.total) return;
      lastAt = now;
      log(`  embed ${p.done}/${p.total} sequences`);
    },
  });
  process.stdout.write(`${result.reportText}\n${formatConfusion(result.confusion)}\n`);
  process.stdout.write(`${JSON.stringify(result.summary)}\n`);
}

main(process.argv.slice(2)).catch((error: unknown) => {
  const usage = error instanceof UsageError;
  const input = error instanceof InputError;
  const message = error instanceof Error ? error.message : String(error);
  process.stderr.write(`error: ${message}\n${usage ? 'Run with --help for usage.\n' : ''}`);
  // A stack only for unexpected failures: typed errors already say what is wrong and what to do.
  if (!usage && !(error instanceof PairscopeError) && error instanceof Error && error.stack)
    process.stderr.write(`${error.stack}\n`);
  process.exitCode = usage || input ? 2 : 1;
});
